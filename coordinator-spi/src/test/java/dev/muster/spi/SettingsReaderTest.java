package dev.muster.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsReaderTest {
    private static final Set<String> KNOWN = Set.of("wait", "size", "rate", "on", "name");

    private static SettingsReader reader(Map<String, String> values) {
        return SettingsReader.of("transport.", "test transport", values, KNOWN);
    }

    private static void refused(String key, String value, Runnable read, String expected) {
        String message = assertThrows(ConfigurationException.class, read::run).getMessage();
        assertTrue(message.startsWith("transport." + key + " must be " + expected), message);
        assertTrue(message.endsWith("; was '" + value + "'"), message);
    }

    @Test
    void readsEachTypeTrimmed_andFallsBackWhenAbsent() {
        SettingsReader r = reader(Map.of("wait", " 30d ", "size", " 12 ", "rate", "2.5", "on", "TRUE", "name", " x "));
        assertEquals(Duration.ofDays(30), r.duration("wait", Duration.ZERO, Duration.ZERO, Duration.ofDays(31)));
        assertEquals(12, r.integer("size", 0, 1, 100));
        assertEquals(2.5, r.decimal("rate", 0, 0, 10));
        assertTrue(r.bool("on", false));
        assertEquals("x", r.string("name", null));
        SettingsReader empty = reader(Map.of());
        assertEquals(Duration.ofSeconds(7), empty.duration("wait", Duration.ofSeconds(7)));
        assertEquals(3, empty.integer("size", 3));
        assertFalse(empty.bool("on", false));
        assertFalse(empty.has("name"));
        assertEquals("transport.wait", empty.fullKey("wait"));
    }

    @Test
    void unknownKey_isRefusedWithItsFullNameAndTheKnownOnes() {
        String message = assertThrows(ConfigurationException.class,
                () -> reader(Map.of("size", "1", "szie", "2"))).getMessage();
        assertEquals("unknown test transport setting 'transport.szie'; known: [name, on, rate, size, wait]", message);
    }

    @Test
    void badValues_areRefusedNamingTheFullKeyAndTheValue() {
        SettingsReader r = reader(Map.of("wait", "5 minutes", "size", "twelve", "rate", "fast", "on", "yes"));
        String message = assertThrows(ConfigurationException.class,
                () -> r.duration("wait", Duration.ZERO, Duration.ZERO, Duration.ofMinutes(2))).getMessage();
        assertTrue(message.startsWith("transport.wait must be a duration") && message.contains("'5 minutes'"), message);
        refused("size", "twelve", () -> r.integer("size", 0, 1, 100), "a whole number from 1 to 100");
        refused("size", "twelve", () -> r.integer("size", 0), "a whole number");
        refused("rate", "fast", () -> r.decimal("rate", 0), "a number");
        refused("on", "yes", () -> r.bool("on", false), "true or false");
    }

    @Test
    void valuesOutOfRange_areRefusedWithTheRangeInTheSameSyntax() {
        SettingsReader r = reader(Map.of("wait", "3m", "size", "101", "rate", "-1"));
        refused("wait", "3m", () -> r.duration("wait", Duration.ZERO, Duration.ofMillis(250), Duration.ofMinutes(2)),
                "a duration from 250ms to 2m");
        refused("size", "101", () -> r.integer("size", 0, 1, 100), "a whole number from 1 to 100");
        refused("rate", "-1", () -> r.decimal("rate", 0, 0, 10), "a number from 0.0 to 10.0");
    }

    @Test
    void required_namesTheFullKey() {
        String message = assertThrows(ConfigurationException.class,
                () -> reader(Map.of("name", "  ")).required("name", "e.g. x")).getMessage();
        assertEquals("transport.name is required, e.g. x", message);
    }

    @Test
    void durationsAreWrittenInTheSettingsSyntax() {
        assertEquals("250ms", Durations.format(Duration.ofMillis(250)));
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
        assertEquals("36h", Durations.format(Duration.ofHours(36)));
        assertEquals("1d", Durations.format(Duration.ofHours(24)));
        assertEquals("30d", Durations.format(Duration.ofDays(30)));
        assertEquals("0s", Durations.format(Duration.ZERO));
        assertEquals("PT0.0000005S", Durations.format(Duration.ofNanos(500)));
        for (Duration d : new Duration[] {Duration.ofMillis(1500), Duration.ofHours(36), Duration.ofDays(30)}) {
            assertEquals(d, Durations.parse("k", Durations.format(d)), "format and parse agree on " + d);
        }
    }
}
