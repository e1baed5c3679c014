package dev.muster.spi;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 digests in the lower-case hex form used throughout the domain values. */
public final class Digests {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    // MessageDigest.getInstance walks the provider list on every call; a per-thread instance
    // keeps digests off the profile of the submission and report paths.
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    });

    private Digests() {}

    /**
     * Hashes bytes.
     *
     * @param data the bytes to hash, not null
     * @return the SHA-256 of {@code data}, 32 bytes
     */
    public static byte[] sha256(byte[] data) {
        MessageDigest md = SHA256.get();
        md.reset();
        return md.digest(data);
    }

    /**
     * Hashes bytes into the hex form the domain values carry.
     *
     * @param data the bytes to hash, not null
     * @return the SHA-256 of {@code data} as 64 lower-case hex characters
     */
    public static String sha256Hex(byte[] data) {
        return hex(sha256(data));
    }

    /**
     * Encodes bytes as hex.
     *
     * @param bytes the bytes to encode, not null
     * @return {@code bytes} as lower-case hex, two characters a byte
     */
    public static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /**
     * Tells whether a string has the form of a SHA-256 hex digest.
     *
     * @param s the string to test; null allowed
     * @return whether {@code s} is a valid SHA-256 hex digest (64 lower-case hex characters)
     */
    public static boolean isSha256Hex(String s) {
        return s != null && s.length() == 64 && isLowerHex(s);
    }

    static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Requires a SHA-256 hex digest, as a value taken from a client must be.
     *
     * @param digest the digest to check
     * @param field  the field's name for the message
     * @return {@code digest} if it is a SHA-256 hex digest
     * @throws InvalidRequestException otherwise
     */
    public static String requireSha256Hex(String digest, String field) {
        Checks.notNull(digest, field);
        if (!isSha256Hex(digest)) {
            throw new InvalidRequestException(field + " must be a SHA-256 digest in 64 lower-case hex characters");
        }
        return digest;
    }
}
