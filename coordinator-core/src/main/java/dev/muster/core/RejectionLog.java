package dev.muster.core;

import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.Rejection;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.WorkerId;
import dev.muster.spi.store.Store;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's way into the store's rejection log, with a share per worker. Every rejection
 * goes to the event listeners and the debug log, but the store takes at most {@code perMinute}
 * rows a minute for one worker: a token bucket per worker, {@code perMinute} deep and refilled
 * continuously on the coordinator's clock (the time of each rejection). So one key sending a
 * thousand bad results a second cannot push everyone else's entries out of a bounded log or fill
 * a database table, while an honest worker's occasional rejection always finds a token.
 *
 * <p>What is over the share is counted, not lost without trace: before a worker's next row is
 * written, one {@link RejectionReason#SUPPRESSED} row says how many were left out (it costs a
 * token itself, so a flood still writes at most {@code perMinute} rows a minute); housekeeping
 * writes that row for a worker that went quiet ({@link #flush}); and {@link #suppressed()} is the
 * total since start.
 */
final class RejectionLog {
    private static final Logger LOG = LoggerFactory.getLogger(RejectionLog.class);

    private final Store store;
    private final Listeners listeners;
    private final int perMinute;
    private final ConcurrentHashMap<WorkerId, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong suppressed = new AtomicLong();
    /**
     * Runs in {@link #record} between finding a worker's bucket and locking it: the window in which
     * a flush can take the bucket away. A no-op but in tests, which put a flush exactly there.
     */
    Runnable afterLookup = () -> { };

    private static final class Bucket {
        double tokens;
        long lastMillis;
        long suppressed;
        /** Set, under the bucket's lock, when flush takes it out of the map; a recorder must then look again. */
        boolean dead;

        Bucket(double tokens, long lastMillis) {
            this.tokens = tokens;
            this.lastMillis = lastMillis;
        }

        void refill(long millis, int perMinute) {
            if (millis > lastMillis) {
                tokens = Math.min(perMinute, tokens + (millis - lastMillis) * perMinute / 60_000.0);
                lastMillis = millis;
            }
        }
    }

    /** @param perMinute rows one worker may write a minute, and as many at once; at least 1 */
    RejectionLog(Store store, Listeners listeners, int perMinute) {
        this.store = store;
        this.listeners = listeners;
        this.perMinute = perMinute;
    }

    /** Tells listeners of a rejection and logs it, unless its worker is over its share of the log. */
    void record(Rejection rejection) {
        for (Rejection row : admit(rejection)) {
            store.logRejection(row);
        }
    }

    /**
     * Tells listeners of a rejection and takes it against its worker's share, leaving the writing
     * to the caller, who puts the rows in the same store call as the report they belong to.
     *
     * @return the rows to log: none when the worker is over its share; else the rejection, after
     *     the count of rows left out before it if there is one
     */
    List<Rejection> admit(Rejection rejection) {
        LOG.debug("rejected: {}", rejection);
        if (!listeners.isEmpty()) {
            listeners.publish(new CoordinatorEvent.ResultRejected(rejection));
        }
        long millis = rejection.at().toEpochMilli();
        long missed = 0;
        boolean write;
        while (true) {
            Bucket b = buckets.computeIfAbsent(rejection.worker(), k -> new Bucket(perMinute, millis));
            afterLookup.run();
            synchronized (b) {
                if (b.dead) {
                    // Flush took this bucket out after we found it: a count left here would be lost.
                    continue;
                }
                b.refill(millis, perMinute);
                if (b.suppressed > 0 && b.tokens >= 1) {
                    b.tokens -= 1;
                    missed = b.suppressed;
                    b.suppressed = 0;
                }
                write = b.tokens >= 1;
                if (write) {
                    b.tokens -= 1;
                } else {
                    b.suppressed++;
                    suppressed.incrementAndGet();
                }
                break;
            }
        }
        if (missed == 0) {
            return write ? List.of(rejection) : List.of();
        }
        Rejection summary = summary(rejection.worker(), missed, rejection.at());
        return write ? List.of(summary, rejection) : List.of(summary);
    }

    /**
     * Writes the count of left-out rows for workers that have a token again, and forgets workers
     * whose bucket is full and owes nothing, so the map holds only workers rejected lately.
     */
    void flush(Instant now) {
        long millis = now.toEpochMilli();
        for (WorkerId worker : buckets.keySet()) {
            long[] missed = {0};
            // Removed inside compute and marked dead under the bucket's lock, so that a recorder that
            // found the bucket before its removal sees the mark and goes to the map again.
            buckets.computeIfPresent(worker, (k, b) -> {
                synchronized (b) {
                    b.refill(millis, perMinute);
                    if (b.suppressed > 0 && b.tokens >= 1) {
                        b.tokens -= 1;
                        missed[0] = b.suppressed;
                        b.suppressed = 0;
                    } else if (b.suppressed == 0 && b.tokens >= perMinute) {
                        // A full bucket is what computeIfAbsent would make anew: nothing is lost.
                        b.dead = true;
                        return null;
                    }
                    return b;
                }
            });
            if (missed[0] > 0) {
                store.logRejection(summary(worker, missed[0], now));
            }
        }
    }

    /** @return rejections left out of the store's log since start */
    long suppressed() {
        return suppressed.get();
    }

    private Rejection summary(WorkerId worker, long missed, Instant at) {
        return new Rejection(at, worker, null, -1, RejectionReason.SUPPRESSED, missed + " more rejections of this"
                + " worker were not logged one by one: it was over its share of " + perMinute + " log rows a minute");
    }
}
