package dev.muster.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Token buckets, one per key (a worker id or an owner), that limit how many jobs per second a key
 * may lease. A bucket holds at most one second's worth of tokens, so a key that was idle may take
 * one second's quota at once and no more. Time comes from the coordinator's clock.
 *
 * <p>A bucket idle for a second has refilled to the brim, which is exactly what a new bucket
 * holds, so it is forgotten then: the map holds only keys that leased within the last second,
 * however many workers come and go in an open pool. A ceiling of {@value #MAX_KEYS} keys guards
 * against a burst beyond that; a key evicted early by it merely starts again with a full bucket.
 */
final class Throttle {
    static final int MAX_KEYS = 1_000_000;
    /** Time for an empty bucket to fill, after which it is no different from a new one. */
    private static final Duration FULL_AFTER = Duration.ofSeconds(1);

    private final double perSecond;
    private final Cache<String, Bucket> buckets;

    private static final class Bucket {
        double tokens;
        long lastMillis;

        Bucket(double tokens, long lastMillis) {
            this.tokens = tokens;
            this.lastMillis = lastMillis;
        }
    }

    /**
     * @param perSecond jobs per second per key; positive
     * @param clock     the clock idle buckets are expired by, the one {@code now} is read from
     */
    Throttle(double perSecond, InstantSource clock) {
        this.perSecond = perSecond;
        // Maintenance runs on the calling thread, so forgetting follows the injected clock alone.
        this.buckets = Caffeine.newBuilder().expireAfterAccess(FULL_AFTER).maximumSize(MAX_KEYS)
                .ticker(() -> nanos(clock.instant())).executor(Runnable::run).build();
    }

    /** @return how many of {@code wanted} jobs {@code key} may lease now, from 0 to {@code wanted} */
    int take(String key, int wanted, Instant now) {
        long millis = now.toEpochMilli();
        int[] granted = new int[1];
        // compute() holds the key's entry, so an expiring bucket cannot be taken from and replaced at once.
        buckets.asMap().compute(key, (k, b) -> {
            Bucket bucket = b != null ? b : new Bucket(perSecond, millis);
            if (millis > bucket.lastMillis) {
                bucket.tokens = Math.min(perSecond, bucket.tokens + (millis - bucket.lastMillis) * perSecond / 1000.0);
                bucket.lastMillis = millis;
            }
            granted[0] = Math.max(0, (int) Math.min(wanted, Math.floor(bucket.tokens)));
            bucket.tokens -= granted[0];
            return bucket;
        });
        return granted[0];
    }

    /** Returns tokens that were granted but not used (fewer jobs were leased than allowed). */
    void refund(String key, int unused) {
        if (unused <= 0) {
            return;
        }
        buckets.asMap().computeIfPresent(key, (k, b) -> {
            b.tokens = Math.min(perSecond, b.tokens + unused);
            return b;
        });
    }

    /** @return how many keys have a bucket now (an estimate that counts buckets not yet swept) */
    long keys() {
        return buckets.estimatedSize();
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
