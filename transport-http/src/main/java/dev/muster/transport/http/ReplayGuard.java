package dev.muster.transport.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Rejects signed requests that are stale or replayed: the timestamp must be within the window of
 * the server's clock, and a (worker, nonce) pair may be used once within twice the window, after
 * which the timestamp check alone rejects it.
 */
final class ReplayGuard {
    private final long windowMillis;
    private final Cache<String, Boolean> seen;

    ReplayGuard(Duration window, long maxEntries) {
        this.windowMillis = window.toMillis();
        this.seen = Caffeine.newBuilder().expireAfterWrite(window.multipliedBy(2)).maximumSize(maxEntries).build();
    }

    /** @return null if the request is fresh, else why not */
    String check(String worker, long timestampMillis, String nonce, long nowMillis) {
        long distance;
        try {
            distance = Math.absExact(Math.subtractExact(nowMillis, timestampMillis));
        } catch (ArithmeticException e) {
            distance = Long.MAX_VALUE;
        }
        if (distance > windowMillis) {
            return "request timestamp " + timestampMillis + " is more than " + windowMillis
                    + " ms from the server's clock (" + nowMillis + ")";
        }
        if (seen.asMap().putIfAbsent(worker + '/' + nonce, Boolean.TRUE) != null) {
            return "request nonce was already used: replayed request";
        }
        return null;
    }
}
