package dev.muster.transport.http;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads request bodies without holding a server thread while a client is slow to send them.
 *
 * <p>The bytes that have arrived are taken at once; when the body is not complete, the reader asks
 * Jetty to call it back when more arrive ({@link Request#demand}) and returns its thread to the
 * pool. A body that is still waiting for bytes is <em>pending</em>: it holds a buffer but no
 * thread. Pending bodies are capped per client address and in total, and the bytes their buffers
 * hold are capped in total (a client may send all of a body but its last byte, then stall), so
 * that slow clients can hold neither the threads nor more than that budget of memory; requests that carry a valid API key or session token
 * are not counted, so the caps fall on unauthenticated senders (worker signatures cover the body,
 * so they are checked only once it is read). A whole body must arrive within the body timeout,
 * which sets a minimum data rate (the largest body over the timeout); when it does not, the
 * client gets a 408 and the connection is closed. Small requests, whose body arrives with their
 * headers, never become pending.
 *
 * <p>An oversized body is read on and thrown away up to {@link #DRAIN_LIMIT} before the 413, since
 * answering while a client is still sending makes many clients report a reset instead of the
 * answer; beyond that limit the connection is closed with the answer.
 */
final class BodyReader {
    private static final Logger LOG = LoggerFactory.getLogger(BodyReader.class);
    /** Most bytes of an oversized body read and thrown away so that its sender can read the 413. */
    static final long DRAIN_LIMIT = 16L << 20;

    /** Receives a refusal: the problem to answer with, and whether the connection must close after it. */
    interface Refusal {
        void refuse(HttpError problem, boolean close);
    }

    private final int maxBytes;
    private final long timeoutMillis;
    private final int maxPending;
    private final int maxPendingPerAddress;
    private final long maxPendingBytes;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final ConcurrentHashMap<String, AtomicInteger> pendingByAddress = new ConcurrentHashMap<>();

    BodyReader(int maxBytes, Duration timeout, int maxPending, int maxPendingPerAddress, long maxPendingBytes) {
        this.maxBytes = maxBytes;
        this.maxPendingBytes = maxPendingBytes;
        this.timeoutMillis = timeout.toMillis();
        this.maxPending = maxPending;
        this.maxPendingPerAddress = maxPendingPerAddress;
    }

    /** @return bodies waiting for bytes now, across all clients */
    int pending() {
        return pending.get();
    }

    /** @return bytes held by the buffers of counted bodies still arriving, across all clients */
    long pendingBytes() {
        return pendingBytes.get();
    }

    /**
     * Reads the whole body of {@code request}, then calls {@code then} with it, on this thread if
     * the body is there already, else on a server thread once the last byte arrives; or calls
     * {@code refusal} once, with the reason the body was not read.
     *
     * @param counted whether the body counts against the caps on pending bodies (false for an
     *                authenticated caller)
     */
    void read(Request request, boolean counted, Consumer<byte[]> then, Refusal refusal) {
        long declared = request.getLength();
        if (declared > DRAIN_LIMIT) {
            refusal.refuse(tooLarge(declared), true);
            return;
        }
        new Read(request, counted, declared, then, refusal).run();
    }

    private HttpError tooLarge(long declared) {
        return new HttpError(413, HttpProblem.TOO_LARGE, declared >= 0
                ? "request body is " + declared + " bytes; the limit is " + maxBytes
                : "request body is over the limit of " + maxBytes + " bytes");
    }

    /** One body being read; {@link #run} is also the demand callback, so it runs on one thread at a time. */
    private final class Read implements Runnable {
        private final Request request;
        private final boolean counted;
        private final long declared;
        private final Consumer<byte[]> then;
        private final Refusal refusal;
        private final AtomicBoolean done = new AtomicBoolean();
        private byte[] buffer;
        private int size;
        private long seen;
        private boolean oversized;
        private String address;
        /** Bytes of {@link #pendingBytes} this read holds: its buffer's size while it is counted and pending. */
        private long reserved;
        private volatile Scheduler.Task timer;

        Read(Request request, boolean counted, long declared, Consumer<byte[]> then, Refusal refusal) {
            this.request = request;
            this.counted = counted;
            this.declared = declared;
            this.then = then;
            this.refusal = refusal;
            this.oversized = declared > maxBytes;
            this.buffer = new byte[oversized ? 0 : (int) Math.max(0, Math.min(declared, 8192))];
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk;
                boolean data;
                Runnable answer = null;
                // Reading and ending a read exclude each other, so that a timeout never answers while a
                // chunk is being read: Jetty's HTTP/1 connection must not see the request read from two
                // threads once the response completes. The answer itself runs after the lock is let go,
                // so that a slow route does not hold up the scheduler thread of a timeout.
                synchronized (this) {
                    if (done.get()) {
                        return;
                    }
                    chunk = request.read();
                    data = chunk != null && !Content.Chunk.isFailure(chunk);
                    if (data) {
                        answer = take(chunk);
                    }
                }
                if (answer != null) {
                    answer.run();
                    return;
                }
                if (data) {
                    continue;
                }
                if (chunk == null) {
                    if (timer == null && !startWaiting()) {
                        return;
                    }
                    request.demand(this);
                    return;
                }
                failed(chunk.getFailure(), chunk.isLast());
                return;
            }
        }

        /**
         * Copies a chunk (or counts it, once the body is over the limit) and releases it.
         *
         * @return what answers the request if this ended the read, else null
         */
        private Runnable take(Content.Chunk chunk) {
            ByteBuffer bytes = chunk.getByteBuffer();
            int n = bytes.remaining();
            seen += n;
            if (!oversized && size + (long) n > maxBytes) {
                oversized = true;
                buffer = null;
                unreserve();
            }
            if (!oversized) {
                if (size + n > buffer.length) {
                    int grown = (int) Math.min(maxBytes, Math.max(size + n, 2L * buffer.length));
                    if (address != null && !reserve(grown - buffer.length)) {
                        chunk.release();
                        return finish() ? this::refuseOverBudget : null;
                    }
                    buffer = Arrays.copyOf(buffer, grown);
                }
                bytes.get(buffer, size, n);
                size += n;
            }
            boolean last = chunk.isLast();
            chunk.release();
            if (oversized && (last || seen > DRAIN_LIMIT)) {
                return finish() ? () -> refusal.refuse(tooLarge(declared), !last) : null;
            }
            if (last && finish()) {
                byte[] body = size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
                return () -> then.accept(body);
            }
            return null;
        }

        /** The body is not all there: count it as pending, within the caps, and start its clock. */
        private boolean startWaiting() {
            if (counted) {
                address = Request.getRemoteAddr(request);
                int own = pendingByAddress.compute(address, (a, n) -> {
                    AtomicInteger c = n == null ? new AtomicInteger() : n;
                    c.incrementAndGet();
                    return c;
                }).get();
                int total = pending.incrementAndGet();
                if (total <= maxPending && own <= maxPendingPerAddress && !reserve(buffer.length)) {
                    release();
                    done.set(true);
                    refuseOverBudget();
                    return false;
                }
                if (total > maxPending || own > maxPendingPerAddress) {
                    release();
                    done.set(true);
                    boolean mine = own > maxPendingPerAddress;
                    LOG.debug("HTTP refused a slow request body from {}: {} bodies pending from it, {} in all",
                            Request.getRemoteAddr(request), own, total);
                    refusal.refuse(new HttpError(mine ? 429 : 503, HttpProblem.TOO_MANY_PENDING_BODIES, "too many request "
                            + "bodies are still arriving " + (mine ? "from this address" : "in all") + "; send the "
                            + "body with the request, or retry later", java.util.Map.of("retryAfter", 1L)), true);
                    return false;
                }
            }
            timer = request.getComponents().getScheduler().schedule(this::timedOut, timeoutMillis, TimeUnit.MILLISECONDS);
            return true;
        }

        /**
         * Adds {@code bytes} to the budget of pending bytes for this read.
         *
         * @return false, having added nothing, if that would take the budget past its cap
         */
        private boolean reserve(long bytes) {
            long now = pendingBytes.addAndGet(bytes);
            if (now > maxPendingBytes) {
                pendingBytes.addAndGet(-bytes);
                return false;
            }
            reserved += bytes;
            return true;
        }

        private void unreserve() {
            pendingBytes.addAndGet(-reserved);
            reserved = 0;
        }

        private void refuseOverBudget() {
            LOG.debug("HTTP refused a slow request body from {}: the buffers of pending bodies would pass {} bytes",
                    Request.getRemoteAddr(request), maxPendingBytes);
            refusal.refuse(new HttpError(503, HttpProblem.TOO_MANY_PENDING_BODIES, "request bodies still arriving hold too "
                    + "much memory in all; send the body with the request, or retry later",
                    java.util.Map.of("retryAfter", 1L)), true);
        }

        private void timedOut() {
            boolean mine;
            synchronized (this) {
                mine = finish();
            }
            if (mine) {
                LOG.debug("HTTP request body from {} did not arrive within {} ms", Request.getRemoteAddr(request),
                        timeoutMillis);
                refusal.refuse(new HttpError(408, HttpProblem.BODY_TIMEOUT, "the request body did not arrive within "
                        + timeoutMillis + " ms (" + seen + " bytes came)"), true);
            }
        }

        private void failed(Throwable failure, boolean last) {
            if (!finish()) {
                return;
            }
            if (failure instanceof java.io.EOFException) {
                // The client closed its side before sending all it announced.
                refusal.refuse(new HttpError(400, HttpProblem.INCOMPLETE_BODY, "the request body ended before its announced "
                        + "length (" + seen + " bytes came)"), true);
            } else if (failure instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                // Jetty's parser refused the body itself, e.g. bad chunking.
                refusal.refuse(new HttpError(400, HttpProblem.MALFORMED_BODY, "the request body is malformed: "
                        + http.getReason()), true);
            } else if (!last) {
                refusal.refuse(new HttpError(408, HttpProblem.BODY_TIMEOUT, "the request body stopped arriving"), true);
            } else {
                // The connection failed under the body; no one may be left to read the answer.
                LOG.debug("HTTP request body from {} failed: {}", Request.getRemoteAddr(request), failure.toString());
                refusal.refuse(new HttpError(400, HttpProblem.INCOMPLETE_BODY, "the request body could not be read to its end ("
                        + seen + " bytes came)"), true);
            }
        }

        /** @return true exactly once: for whoever ends this read */
        private boolean finish() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            Scheduler.Task t = timer;
            if (t != null) {
                t.cancel();
                release();
            }
            return true;
        }

        private void release() {
            if (address != null) {
                unreserve();
                pending.decrementAndGet();
                pendingByAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
                address = null;
            }
        }
    }
}
