package dev.muster.spi;

import dev.muster.spi.Digests;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * How a worker signs an HTTP request: Ed25519 over a domain-separation tag, the method, the path
 * with its query, the worker id, a timestamp, a nonce and the SHA-256 of the body, each
 * length-prefixed. The server checks the signature, that the timestamp is recent, and that the
 * nonce was not seen before within the window; so a captured request cannot be replayed and a
 * signed request cannot be altered. The worker SDK signs with it and the HTTP transport checks
 * with it, so both sides share one definition; {@code docs/signing.md} has test vectors for
 * workers written in other languages.
 */
public final class RequestSigning {
    /** Header with the worker id. */
    public static final String WORKER = "Muster-Worker";
    /** Header with the request time in epoch milliseconds. */
    public static final String TIMESTAMP = "Muster-Timestamp";
    /** Header with a fresh random value per request (8 to 64 URL-safe base64 characters). */
    public static final String NONCE = "Muster-Nonce";
    /** Header with the base64 Ed25519 signature. */
    public static final String SIGNATURE = "Muster-Signature";
    /** The {@code Authorization} scheme of a session token, with its trailing space. */
    public static final String SESSION_SCHEME = "Muster-Session ";

    private RequestSigning() {}

    /**
     * Builds the bytes a worker signs for one request.
     *
     * @param method          the HTTP method, e.g. {@code POST}
     * @param pathAndQuery    the raw path with its query, e.g. {@code /v1/workers/lease}
     * @param workerId        the worker's id
     * @param timestampMillis the request time in epoch milliseconds, as sent in {@link #TIMESTAMP}
     * @param nonce           the nonce sent in {@link #NONCE}
     * @param body            the request body, empty for none
     * @return the bytes to sign
     */
    public static byte[] signedBytes(String method, String pathAndQuery, String workerId, long timestampMillis,
                                     String nonce, byte[] body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            for (String s : new String[] {"muster/request/v1", method, pathAndQuery, workerId}) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
            out.writeLong(timestampMillis);
            byte[] n = nonce.getBytes(StandardCharsets.UTF_8);
            out.writeInt(n.length);
            out.write(n);
            byte[] digest = Digests.sha256(body);
            out.writeInt(digest.length);
            out.write(digest);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
