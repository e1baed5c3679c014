package dev.muster.spi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 keys in standard encodings (X.509 for public keys, PKCS#8 for private keys, PEM on disk),
 * using only the JDK, so a worker or a plug-in needs no crypto library. The coordinator itself
 * uses a faster implementation for its hot paths; signatures are interchangeable.
 */
public final class Keys {
    private static final String ALGORITHM = "Ed25519";

    private Keys() {}

    /**
     * Returns a fresh Ed25519 key pair.
     *
     * @return a fresh Ed25519 key pair
     */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519 (it needs Java 15 or later)", e);
        }
    }

    /**
     * Returns the Ed25519 public key it encodes.
     *
     * @param x509 an X.509 SubjectPublicKeyInfo encoding
     * @return the Ed25519 public key it encodes
     * @throws InvalidRequestException if it is not an Ed25519 public key
     */
    public static PublicKey publicKey(byte[] x509) {
        Checks.notNull(x509, "public key");
        try {
            PublicKey key = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(x509));
            if (!isEd25519(key)) {
                throw new InvalidRequestException("public key is " + key.getAlgorithm() + ", not Ed25519");
            }
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // The provider's message names its classes; a client is told what is wrong, not where.
            throw new InvalidRequestException("public key is not an X.509-encoded Ed25519 key");
        }
    }

    /**
     * Returns the Ed25519 private key it encodes.
     *
     * @param pkcs8 a PKCS#8 encoding
     * @return the Ed25519 private key it encodes
     * @throws InvalidRequestException if it is not an Ed25519 private key
     */
    public static PrivateKey privateKey(byte[] pkcs8) {
        Checks.notNull(pkcs8, "private key");
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidRequestException("private key is not a PKCS#8-encoded Ed25519 key: " + e.getMessage());
        }
    }

    /**
     * Tells whether a public key is Ed25519. Providers name the algorithm differently (some say
     * EdDSA for both curves), so the encoded length tells Ed25519 from Ed448.
     *
     * @param key the key to test, not null
     * @return whether {@code key} is an Ed25519 key, whichever provider made it
     */
    public static boolean isEd25519(PublicKey key) {
        String algorithm = key.getAlgorithm();
        return "Ed25519".equalsIgnoreCase(algorithm) || ("EdDSA".equalsIgnoreCase(algorithm)
                && key.getEncoded().length == 44);
    }

    /**
     * Encodes a public key for a file or a configuration value.
     *
     * @param key the public key, not null
     * @return {@code key} as a PEM {@code PUBLIC KEY} block
     */
    public static String toPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /**
     * Encodes a private key for a file.
     *
     * @param key the private key, not null
     * @return {@code key} as a PEM {@code PRIVATE KEY} block
     */
    public static String toPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /**
     * Reads the first {@code PUBLIC KEY} block of PEM text.
     *
     * @param pem PEM text; other blocks around it are ignored
     * @return the Ed25519 public key it holds
     * @throws InvalidRequestException if {@code pem} holds no Ed25519 {@code PUBLIC KEY} block
     */
    public static PublicKey publicKeyFromPem(String pem) {
        return publicKey(unpem(pem, "PUBLIC KEY"));
    }

    /**
     * Reads the first {@code PRIVATE KEY} block of PEM text.
     *
     * @param pem PEM text; other blocks around it are ignored
     * @return the Ed25519 private key it holds
     * @throws InvalidRequestException if {@code pem} holds no Ed25519 {@code PRIVATE KEY} block
     */
    public static PrivateKey privateKeyFromPem(String pem) {
        return privateKey(unpem(pem, "PRIVATE KEY"));
    }

    /**
     * Signs bytes.
     *
     * @param key     an Ed25519 private key
     * @param message the bytes to sign, such as those of {@link SignedBytes}
     * @return an Ed25519 signature by {@code key} over {@code message}, 64 bytes
     * @throws IllegalStateException if {@code key} cannot sign with Ed25519
     */
    public static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with an Ed25519 key: " + e.getMessage(), e);
        }
    }

    /**
     * Checks a signature. Never throws for a bad key or signature: a signature that cannot be
     * checked does not verify.
     *
     * @param key       an Ed25519 public key
     * @param message   the bytes said to be signed
     * @param signature the signature to check
     * @return whether {@code signature} is {@code key}'s Ed25519 signature over {@code message}
     */
    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * Loads a key pair from a PEM file ({@code PRIVATE KEY} then {@code PUBLIC KEY} blocks), or
     * creates one there if the file does not exist. A new file is written whole under another
     * name, synced, then linked into place, so a crash leaves either no file or a complete one,
     * and two processes creating it at once end up with the same key; it is readable by its owner
     * only where the file system allows.
     *
     * @param file where the key pair is kept
     * @return the key pair
     * @throws IOException             if the file cannot be read or written
     * @throws InvalidRequestException if the file holds no Ed25519 key pair, or its public key does
     *                                 not belong to its private key
     */
    public static KeyPair loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        KeyPair kp = generate();
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, ".key-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile(dir, ".key-", ".tmp");
        }
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(toPem(kp).getBytes(StandardCharsets.US_ASCII)));
                ch.force(true);
            }
            try {
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                return load(file);
            } catch (UnsupportedOperationException e) {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return kp;
    }

    private static KeyPair load(Path file) throws IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        try {
            return pairFromPem(pem);
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException(file + ": " + e.getMessage());
        }
    }

    /**
     * Encodes a key pair for a file.
     *
     * @param pair an Ed25519 key pair
     * @return the key pair as PEM text, the private key's block first; what {@link #pairFromPem} reads
     */
    public static String toPem(KeyPair pair) {
        return toPem(pair.getPrivate()) + toPem(pair.getPublic());
    }

    /**
     * Reads a key pair written by {@link #toPem(KeyPair)}, and checks that its halves belong together.
     *
     * @param pem PEM text with a {@code PRIVATE KEY} and a {@code PUBLIC KEY} block
     * @return the key pair
     * @throws InvalidRequestException if a block is missing or the public key does not belong to the private one
     */
    public static KeyPair pairFromPem(String pem) {
        KeyPair kp = new KeyPair(publicKeyFromPem(pem), privateKeyFromPem(pem));
        byte[] probe = "muster/key-check".getBytes(StandardCharsets.US_ASCII);
        if (!verify(kp.getPublic(), probe, sign(kp.getPrivate(), probe))) {
            throw new InvalidRequestException("the public key does not belong to its private key");
        }
        return kp;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(String pem, String type) {
        Checks.notNull(pem, "PEM text");
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new InvalidRequestException("PEM text has no " + type + " block");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("PEM " + type + " block is not valid base64: " + e.getMessage());
        }
    }
}
