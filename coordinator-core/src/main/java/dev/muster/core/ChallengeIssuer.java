package dev.muster.core;

import dev.muster.spi.Challenge;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues registration challenges that the coordinator can check without remembering them: each is
 * 16 random bytes and an expiry, authenticated with HMAC-SHA256 under a secret. Being stateless,
 * a challenge issued by one coordinator is accepted by another that shares the secret.
 *
 * <p>A proof may be replayed until its challenge expires, but it binds every registration detail
 * ({@link dev.muster.spi.SignedBytes#registration}), so a replay can only re-register the same
 * worker with the same details.
 */
final class ChallengeIssuer {
    private static final int NONCE = 16;
    private static final int MAC = 32;
    private static final int LENGTH = NONCE + Long.BYTES + MAC;

    private final SecretKeySpec key;
    private final Duration ttl;
    private final SecureRandom random = new SecureRandom();

    ChallengeIssuer(byte[] secret, Duration ttl) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.ttl = ttl;
    }

    Challenge issue(Instant now) {
        Instant expires = now.plus(ttl);
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        b.put(nonce).putLong(expires.toEpochMilli());
        b.put(mac(Arrays.copyOf(b.array(), NONCE + Long.BYTES)));
        return new Challenge(b.array(), expires);
    }

    /** @return null if the challenge is good, else why not */
    String problem(byte[] challenge, Instant now) {
        if (challenge.length != LENGTH) {
            return "registration challenge has the wrong length (" + challenge.length + " bytes, expected " + LENGTH + ")";
        }
        byte[] body = Arrays.copyOf(challenge, NONCE + Long.BYTES);
        byte[] tag = Arrays.copyOfRange(challenge, NONCE + Long.BYTES, LENGTH);
        if (!MessageDigest.isEqual(mac(body), tag)) {
            return "registration challenge was not issued by this coordinator";
        }
        long expires = ByteBuffer.wrap(body, NONCE, Long.BYTES).getLong();
        if (now.toEpochMilli() > expires) {
            return "registration challenge expired at " + Instant.ofEpochMilli(expires) + "; ask for a new one";
        }
        return null;
    }

    private byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required on every Java platform", e);
        }
    }
}
