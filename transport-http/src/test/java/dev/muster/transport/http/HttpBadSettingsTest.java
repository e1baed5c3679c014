package dev.muster.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.ConfigurationException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A bad {@code transport.*} setting fails when the coordinator is built, not when it starts, with
 * the full key and the value in the message; durations take the syntax of every other setting.
 */
class HttpBadSettingsTest {
    private static String refused(String key, String value) {
        Map<String, String> properties = new HashMap<>(Map.of("transport", "http"));
        properties.put(key, value);
        String message = assertThrows(ConfigurationException.class, () -> Coordinator.builder()
                .trustPolicy(new QuorumPolicy(1, 1, 1, false)).validator(new TestValidator())
                .configure(properties).build().close(), key + "=" + value).getMessage();
        assertTrue(message.contains(key), "names " + key + ": " + message);
        return message;
    }

    @Test
    void badDuration_badNumber_unknownKey_failAtBuild() {
        String duration = refused("transport.maxWait", "half a minute");
        assertTrue(duration.contains("'half a minute'"), duration);
        String range = refused("transport.maxWait", "5m");
        assertTrue(range.contains("was 5m"), range);
        String number = refused("transport.maxBatch", "lots");
        assertTrue(number.contains("'lots'"), number);
        String rate = refused("transport.ratePerWorker", "fast");
        assertTrue(rate.contains("'fast'"), rate);
        assertTrue(refused("transport.maxWiat", "30s").startsWith("unknown HTTP transport setting 'transport.maxWiat'"));
    }

    @Test
    void durations_takeTheSharedSyntax() {
        HttpSettings s = HttpSettings.from(Map.of("maxWait", "30s", "sessionTtl", "1h", "bodyTimeout", "500ms",
                "idleTimeout", "PT45S", "replayWindow", "2m"));
        assertEquals(Duration.ofSeconds(30), s.maxWait());
        assertEquals(Duration.ofHours(1), s.sessionTtl());
        assertEquals(Duration.ofMillis(500), s.bodyTimeout());
        assertEquals(Duration.ofSeconds(45), s.idleTimeout());
        assertEquals(Duration.ofMinutes(2), s.replayWindow());
    }
}
