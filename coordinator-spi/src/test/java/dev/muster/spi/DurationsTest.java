package dev.muster.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void readsEveryUnitAndIso8601() {
        assertEquals(Duration.ofMillis(500), Durations.parse("k", "500ms"));
        assertEquals(Duration.ofSeconds(30), Durations.parse("k", " 30s "));
        assertEquals(Duration.ofMinutes(10), Durations.parse("k", "10m"));
        assertEquals(Duration.ofHours(24), Durations.parse("k", "24H"));
        assertEquals(Duration.ofDays(30), Durations.parse("k", "30d"));
        assertEquals(Duration.ofSeconds(2), Durations.parse("k", "PT2S"));
        assertEquals(Duration.ofSeconds(2), Durations.parse("k", "pt2s"));
        assertEquals(Duration.ofDays(1), Durations.parse("k", "P1D"));
    }

    @Test
    void refusesOthersNamingTheKeyAndTheValue() {
        for (String bad : new String[] {"", "s", "ms", "2", "2w", "2.5s", "PT", "x1s", "99999999999999999999d"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> Durations.parse("store.connectionTimeout", bad), bad);
            assertTrue(e.getMessage().startsWith("store.connectionTimeout must be a duration"), e.getMessage());
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        assertThrows(ConfigurationException.class, () -> Durations.parse("k", null));
    }

    @Test
    void formatsInTheSettingsSyntax_andWritesAbsurdValuesAsGiven() {
        assertEquals("0s", Durations.format(Duration.ZERO));
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
        assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
        assertEquals("30d", Durations.format(Duration.ofDays(30)));
        assertEquals("PT0.000001S", Durations.format(Duration.ofNanos(1000)));
        Duration huge = Duration.ofDays(106_751_991_167_300L);
        assertEquals(huge.toString(), Durations.format(huge));
        assertEquals(huge.negated().toString(), Durations.format(huge.negated()));
        Duration max = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
        assertEquals(max.toString(), Durations.format(max));
    }
}
