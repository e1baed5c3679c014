package dev.muster.spi;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The exact byte strings that Muster signs. Both sides build them with these methods, so nothing
 * depends on how JSON or any other wire format happens to serialize a value.
 *
 * <p>Each string starts with a domain-separation tag (so a signature over one kind of message can
 * never pass for another), then the fields in a fixed order: integers big-endian, strings and byte
 * arrays prefixed with their length.
 */
public final class SignedBytes {
    private SignedBytes() {}

    /**
     * What a worker signs to register: the challenge and every detail it registers with, so that
     * none of them can be changed on the way without breaking the proof.
     *
     * @param challenge           the challenge bytes from {@link CoordinatorApi#challenge()}
     * @param publicKey           the worker's Ed25519 public key
     * @param owner               the contributor account it registers under
     * @param capabilities        what it offers; labels are signed in sorted order
     * @param clientBuild         digest of its client build
     * @param maxConcurrentLeases most leases it wants at once
     * @return the bytes to sign, the same on worker and coordinator
     */
    public static byte[] registration(byte[] challenge, PublicKey publicKey, String owner, Capabilities capabilities,
                                      String clientBuild, int maxConcurrentLeases) {
        Writer w = new Writer(256).text("muster/register/v1").bytes(challenge).bytes(publicKey.getEncoded())
                .text(owner).i32(capabilities.cores()).i64(capabilities.memoryMb()).bool(capabilities.gpu())
                .i32(capabilities.labels().size());
        capabilities.labels().stream().sorted().forEach(w::text);
        return w.text(clientBuild).i32(maxConcurrentLeases).toByteArray();
    }

    /**
     * What the coordinator signs for a batch of tickets: the worker and time of issue, then per
     * ticket job id, replica, seed, job type, media type, payload digest and deadline, so that
     * nothing a worker acts on can be changed on the way.
     *
     * @param worker   who the tickets are for
     * @param issuedAt when they were issued; signed to the millisecond
     * @param tickets  the tickets in the batch's order, possibly none
     * @return the bytes the coordinator signs
     */
    public static byte[] tickets(WorkerId worker, Instant issuedAt, List<Ticket> tickets) {
        Writer w = new Writer(64 + tickets.size() * 120).text("muster/tickets/v2").text(worker.value())
                .i64(issuedAt.toEpochMilli()).i32(tickets.size());
        for (Ticket t : tickets) {
            w.i64(t.jobId().value()).i32(t.replica()).i64(t.seed()).text(t.type()).text(t.spec().mediaType())
                    .text(t.payloadDigest()).i64(t.deadline().toEpochMilli());
        }
        return w.toByteArray();
    }

    /**
     * What a worker signs for a batch of results: per result job id, replica, seed, result digest.
     * The digest stands for the result bytes, which are checked against it separately.
     *
     * @param worker  who reports
     * @param results the results in the batch's order
     * @return the bytes the worker signs
     */
    public static byte[] results(WorkerId worker, List<ResultReport> results) {
        Writer w = new Writer(64 + results.size() * 100).text("muster/results/v1").text(worker.value())
                .i32(results.size());
        for (ResultReport r : results) {
            w.i64(r.jobId().value()).i32(r.replica()).i64(r.seed()).text(r.resultDigest());
        }
        return w.toByteArray();
    }

    /** A small growable big-endian writer for the canonical encodings. */
    static final class Writer {
        private byte[] buf;
        private int len;

        Writer(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        private void ensure(int extra) {
            if (len + extra > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
            }
        }

        Writer i32(int v) {
            ensure(4);
            buf[len++] = (byte) (v >>> 24);
            buf[len++] = (byte) (v >>> 16);
            buf[len++] = (byte) (v >>> 8);
            buf[len++] = (byte) v;
            return this;
        }

        Writer i64(long v) {
            return i32((int) (v >>> 32)).i32((int) v);
        }

        Writer bool(boolean v) {
            ensure(1);
            buf[len++] = (byte) (v ? 1 : 0);
            return this;
        }

        Writer bytes(byte[] v) {
            i32(v.length);
            ensure(v.length);
            System.arraycopy(v, 0, buf, len, v.length);
            len += v.length;
            return this;
        }

        Writer text(String v) {
            return bytes(v.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }
    }
}
