package dev.muster.core;

import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets, one per key (a worker id or an owner), that limit how many jobs per second a key
 * may lease. A bucket holds at most one second's worth of tokens, so a key that was idle may take
 * one second's quota at once and no more. Time comes from the coordinator's clock.
 */
final class Throttle {
    private final double perSecond;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long lastMillis;

        Bucket(double tokens, long lastMillis) {
            this.tokens = tokens;
            this.lastMillis = lastMillis;
        }
    }

    /** @param perSecond jobs per second per key; positive */
    Throttle(double perSecond) {
        this.perSecond = perSecond;
    }

    /** @return how many of {@code wanted} jobs {@code key} may lease now, from 0 to {@code wanted} */
    int take(String key, int wanted, Instant now) {
        long millis = now.toEpochMilli();
        Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(perSecond, millis));
        synchronized (b) {
            if (millis > b.lastMillis) {
                b.tokens = Math.min(perSecond, b.tokens + (millis - b.lastMillis) * perSecond / 1000.0);
                b.lastMillis = millis;
            }
            int granted = (int) Math.min(wanted, Math.floor(b.tokens));
            b.tokens -= granted;
            return Math.max(0, granted);
        }
    }

    /** Returns tokens that were granted but not used (fewer jobs were leased than allowed). */
    void refund(String key, int unused) {
        if (unused <= 0) {
            return;
        }
        Bucket b = buckets.get(key);
        if (b != null) {
            synchronized (b) {
                b.tokens = Math.min(perSecond, b.tokens + unused);
            }
        }
    }
}
