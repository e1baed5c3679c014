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
}
