package dev.muster.worker;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Full-jitter back-off: spread over a growing ceiling, capped, with Retry-After as a floor. */
class BackoffTest {
    private static final long SEED = 20261202L;

    @Test
    void pauses_areSpreadOverACeilingThatDoublesUpToTheCap() {
        System.out.println("BackoffTest seed " + SEED);
        SplittableRandom random = new SplittableRandom(SEED);
        long[] max = new long[8];
        long[] min = new long[8];
        java.util.Arrays.fill(min, Long.MAX_VALUE);
        for (int run = 0; run < 2_000; run++) {
            Backoff b = new Backoff(10_000, random.split());
            for (int i = 0; i < 8; i++) {
                long pause = b.next(null);
                max[i] = Math.max(max[i], pause);
                min[i] = Math.min(min[i], pause);
            }
        }
        for (int i = 0; i < 8; i++) {
            long ceiling = Math.min(10_000, Backoff.BASE_MILLIS << i);
            assertTrue(max[i] <= ceiling && max[i] > ceiling * 9 / 10, "failure " + i + ": most " + max[i]
                    + " of ceiling " + ceiling);
            assertTrue(min[i] < ceiling / 10, "failure " + i + ": pauses start near zero, least " + min[i]);
        }
    }

    @Test
    void retryAfter_isAFloor_underTheCap_andResetStartsOver() {
        Backoff b = new Backoff(5_000, new SplittableRandom(SEED));
        for (int i = 0; i < 20; i++) {
            assertTrue(b.next("3") >= 3_000);
            assertTrue(b.next("3600") <= 5_000, "a Retry-After beyond the cap waits the cap");
        }
        b.reset();
        assertTrue(b.next(null) <= Backoff.BASE_MILLIS, "after a success the ceiling is the base again");
        assertTrue(b.next("Wed, 21 Oct 2026 07:28:00 GMT") <= 2 * Backoff.BASE_MILLIS, "an HTTP date is ignored");
        assertThrows(IllegalArgumentException.class, () -> new Backoff(10, new SplittableRandom(SEED)));
    }
}
