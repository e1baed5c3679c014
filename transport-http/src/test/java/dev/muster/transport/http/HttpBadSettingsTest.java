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
        String duration = refused("transport.sessionTtl", "half an hour");
        assertTrue(duration.contains("'half an hour'"), duration);
        String range = refused("transport.sessionTtl", "5d");
        assertTrue(range.contains("was 5d"), range);
        String number = refused("transport.maxThreads", "lots");
        assertTrue(number.contains("'lots'"), number);
        String rate = refused("transport.ratePerWorker", "fast");
        assertTrue(rate.contains("'fast'"), rate);
        assertTrue(refused("transport.maxWiat", "30s").startsWith("unknown HTTP transport setting 'transport.maxWiat'"));
        // Request limits are the coordinator's, checked once by its API: the transport no longer has its own.
        assertTrue(refused("transport.maxBatch", "50").startsWith("unknown HTTP transport setting 'transport.maxBatch'"));
    }

    @Test
    void durations_takeTheSharedSyntax() {
        HttpSettings s = HttpSettings.from(Map.of("sessionTtl", "1h", "bodyTimeout", "500ms",
                "idleTimeout", "PT45S", "replayWindow", "2m"));
        assertEquals(Duration.ofHours(1), s.sessionTtl());
        assertEquals(Duration.ofMillis(500), s.bodyTimeout());
        assertEquals(Duration.ofSeconds(45), s.idleTimeout());
        assertEquals(Duration.ofMinutes(2), s.replayWindow());
    }
}
