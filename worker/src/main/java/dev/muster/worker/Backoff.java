package dev.muster.worker;

import java.util.random.RandomGenerator;

/**
 * Pauses after failed calls: "full jitter", a uniformly random pause between zero and an
 * exponentially growing ceiling (250 ms, doubling per failure, up to a cap). A thousand workers
 * that lost their coordinator at the same moment then come back spread over the ceiling instead
 * of all at once, which is what keeps a restarted coordinator from being knocked over again. A
 * {@code Retry-After} the coordinator sent is a floor.
 */
final class Backoff {
    static final long BASE_MILLIS = 250;

    private final long capMillis;
    private final RandomGenerator random;
    private int failures;

    Backoff(long capMillis, RandomGenerator random) {
        if (capMillis < BASE_MILLIS) {
            throw new IllegalArgumentException("the back-off cap must be at least " + BASE_MILLIS + " ms, was "
                    + capMillis);
        }
        this.capMillis = capMillis;
        this.random = random;
    }

    /**
     * @param retryAfter the {@code Retry-After} header of the failure, or null
     * @return how long to pause before the next call, in milliseconds
     */
    long next(String retryAfter) {
        long ceiling = Math.min(capMillis, BASE_MILLIS << Math.min(failures, 30));
        failures++;
        long pause = random.nextLong(ceiling + 1);
        if (retryAfter != null) {
            try {
                pause = Math.max(pause, Math.min(capMillis, Long.parseLong(retryAfter.trim()) * 1000));
            } catch (NumberFormatException e) {
                // an HTTP-date Retry-After; the random pause stands
            }
        }
        return pause;
    }

    /** Starts over after a call that worked. */
    void reset() {
        failures = 0;
    }
}
