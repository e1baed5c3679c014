package dev.muster.transport.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Map;

/**
 * Requests per second per key (a worker id or a client address), as token buckets holding one
 * second's worth. Buckets of keys idle for a minute are dropped, so a flood of addresses cannot
 * grow memory without bound.
 */
final class RateLimiter {
    private final double perSecond;
    private final Cache<String, double[]> buckets;

    RateLimiter(double perSecond) {
        this.perSecond = perSecond;
        this.buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(1)).maximumSize(1_000_000).build();
    }

    /** @return 0 if the request may go ahead, else the whole seconds to wait before trying again */
    long acquire(String key, long nowMillis) {
        // bucket[0] = tokens, bucket[1] = last refill time
        double[] b = buckets.get(key, k -> new double[] {perSecond, nowMillis});
        synchronized (b) {
            if (nowMillis > b[1]) {
                b[0] = Math.min(perSecond, b[0] + (nowMillis - b[1]) * perSecond / 1000.0);
                b[1] = nowMillis;
            }
            if (b[0] >= 1) {
                b[0] -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - b[0]) / perSecond));
        }
    }

    /**
     * @param what what the key is, for the message: "worker", "address"
     * @throws HttpError 429 if {@code key} has spent its budget of requests for now
     */
    void check(String key, String what, long nowMillis) {
        long wait = acquire(key, nowMillis);
        if (wait > 0) {
            throw new HttpError(429, HttpProblem.RATE_LIMITED, "too many requests from this " + what + "; retry in " + wait
                    + " s", Map.of("retryAfter", wait));
        }
    }
}
