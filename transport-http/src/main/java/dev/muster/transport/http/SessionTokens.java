package dev.muster.transport.http;

import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.WorkerId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived worker sessions: after one signed login, a worker may send
 * {@code Authorization: Muster-Session <token>} instead of signing every request. A token is the
 * worker id, an expiry and a random value, authenticated with HMAC-SHA256 under the transport's
 * secret; nothing is stored, and transports sharing the secret accept each other's tokens. A
 * token is a bearer credential: use sessions over TLS, or on a network you trust.
 */
final class SessionTokens {
    private final SecretKeySpec key;
    private final Duration ttl;
    private final SecureRandom random = new SecureRandom();

    SessionTokens(byte[] secret, Duration ttl) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.ttl = ttl;
    }

    Duration ttl() {
        return ttl;
    }

    /** @return a token for {@code worker} that expires {@code ttl} after {@code nowMillis} */
    String issue(WorkerId worker, long nowMillis) {
        byte[] n = new byte[12];
        random.nextBytes(n);
        String body = worker.value() + ":" + (nowMillis + ttl.toMillis()) + ":"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(n);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(body.getBytes(StandardCharsets.UTF_8)) + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(body));
    }

    /**
     * @return the worker the token was issued to
     * @throws HttpError 401 if the token is malformed, forged or expired
     */
    WorkerId verify(String token, long nowMillis) {
        int dot = token.indexOf('.');
        try {
            if (dot < 1) {
                throw new IllegalArgumentException("no signature part");
            }
            String body = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            byte[] tag = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(mac(body), tag)) {
                throw new HttpError(401, HttpProblem.BAD_SESSION, "session token was not issued by this coordinator");
            }
            String[] f = body.split(":");
            if (f.length != 3) {
                throw new IllegalArgumentException("wrong number of fields");
            }
            if (nowMillis > Long.parseLong(f[1])) {
                throw new HttpError(401, HttpProblem.SESSION_EXPIRED, "session token expired; log in again");
            }
            return new WorkerId(f[0]);
        } catch (IllegalArgumentException | InvalidRequestException e) {
            throw new HttpError(401, HttpProblem.BAD_SESSION, "session token is malformed");
        }
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required on every Java platform", e);
        }
    }
}
