package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.ConfigurationException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A bad duration, a bad number and an unknown key fail when the coordinator is built, with the
 * full key (prefix included) and the value in the message: for the coordinator's own properties,
 * the memory store and both trust policies. The JDBC store and the HTTP transport have their own.
 */
class BadSettingsTest {
    private static final Map<String, String> QUORUM = Map.of("trust", "quorum", "validators", "echo");

    /** Builds with {@code base} plus one property and returns the message of the refusal, which names both. */
    static String refused(Map<String, String> base, String key, String value) {
        String message = message(base, key, value);
        assertTrue(message.contains(value), "names the value " + value + ": " + message);
        return message;
    }

    /** Builds with {@code base} plus one unknown property and checks the refusal names it. */
    static void unknown(Map<String, String> base, String key, String owner) {
        String message = message(base, key, "1");
        assertTrue(message.startsWith("unknown " + owner + " setting '" + key + "'; known: ["), message);
    }

    private static String message(Map<String, String> base, String key, String value) {
        Map<String, String> properties = new HashMap<>(base);
        properties.put(key, value);
        String message = assertThrows(ConfigurationException.class,
                () -> Coordinator.builder().configure(properties).build().close(), key + "=" + value).getMessage();
        assertTrue(message.contains(key), "names " + key + ": " + message);
        return message;
    }

    @Test
    void coordinatorProperties() {
        refused(QUORUM, "heartbeat.interval", "half a minute");
        refused(QUORUM, "purge.after", "30 days");
        refused(QUORUM, "lease.maxBatch", "many");
        refused(QUORUM, "owner.leaseRate", "fast");
        refused(QUORUM, "signatures", "yes");
        unknown(QUORUM, "heartbeat.intervall", "coordinator");
        // Out of range: the builder's check names the property too.
        refused(QUORUM, "lease.maxBatch", "0");
        refused(QUORUM, "purge.after", "-1d");
        refused(QUORUM, "lease.maxWait", "3m");
    }

    @Test
    void everyDurationProperty_takesTheSameSyntax() {
        Map<String, String> properties = new HashMap<>(QUORUM);
        properties.put("heartbeat.interval", "30s");
        properties.put("offline.after", "PT90S");
        properties.put("housekeeping.interval", "500ms");
        properties.put("purge.after", "30d");
        properties.put("lease.maxWait", "45s");
        properties.put("challenge.ttl", "2m");
        Coordinator.builder().configure(properties).build().close();
    }

    @Test
    void memoryStore() {
        Map<String, String> memory = new HashMap<>(QUORUM);
        memory.put("store", "memory");
        refused(memory, "store.ledgerRetention", "a month");
        refused(memory, "store.ledgerRetention", "10m");
        refused(memory, "store.retainFinished", "lots");
        refused(memory, "store.rejectionLogSize", "0");
        unknown(memory, "store.retainFinshed", "memory store");
        memory.put("store.ledgerRetention", "31d");
        memory.put("store.retainFinished", "10");
        Coordinator.builder().configure(memory).build().close();
    }

    @Test
    void quorumPolicy() {
        refused(QUORUM, "trust.replicas", "three");
        refused(QUORUM, "trust.maxReplicas", "0");
        refused(QUORUM, "trust.distinctOwners", "maybe");
        unknown(QUORUM, "trust.replica", "quorum policy");
    }

    @Test
    void credibilityPolicy() {
        Map<String, String> credibility = Map.of("trust", "credibility", "validators", "echo");
        refused(credibility, "trust.strikeExpiry", "-1");
        refused(credibility, "trust.strikeExpiry", "twenty");
        refused(credibility, "trust.probation", "101");
        refused(credibility, "trust.fMax", "0.5");
        unknown(credibility, "trust.strikesExpiry", "credibility policy");
    }

    @Test
    void allowlistPolicy() {
        Map<String, String> allowlist = Map.of("trust", "allowlist", "validators", "echo");
        unknown(allowlist, "trust.key", "allowlist policy");
        refused(allowlist, "trust.keys", "not-a-key");
    }
}
