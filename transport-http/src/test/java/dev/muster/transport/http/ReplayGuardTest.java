package dev.muster.transport.http;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The timestamp window holds at the ends of the long range, where a plain subtraction overflows. */
class ReplayGuardTest {
    private final ReplayGuard guard = new ReplayGuard(Duration.ofSeconds(60), 1_000);

    @Test
    void check_withExtremeTimestampsOrClocks_isStale() {
        long[][] pairs = {
            {Long.MIN_VALUE, 0}, {Long.MAX_VALUE, 0}, {Long.MIN_VALUE, 1_700_000_000_000L},
            {Long.MAX_VALUE, 1_700_000_000_000L}, {0, Long.MIN_VALUE}, {-1, Long.MAX_VALUE},
            {Long.MAX_VALUE, Long.MIN_VALUE}, {Long.MIN_VALUE, Long.MAX_VALUE}, {Long.MIN_VALUE, -1},
        };
        int i = 0;
        for (long[] p : pairs) {
            assertNotNull(guard.check("w", p[0], "nonce-" + i++, p[1]), p[0] + " at " + p[1]);
        }
    }

    @Test
    void check_atTheEdgesOfTheWindow_isFreshInsideAndStaleOutside() {
        long now = 1_700_000_000_000L;
        assertNull(guard.check("w", now - 60_000, "nonce-a", now));
        assertNull(guard.check("w", now + 60_000, "nonce-b", now));
        assertNotNull(guard.check("w", now - 60_001, "nonce-c", now));
        assertNotNull(guard.check("w", now + 60_001, "nonce-d", now));
        assertNull(guard.check("w", Long.MAX_VALUE, "nonce-e", Long.MAX_VALUE));
        assertNull(guard.check("w", Long.MIN_VALUE, "nonce-f", Long.MIN_VALUE));
    }
}
