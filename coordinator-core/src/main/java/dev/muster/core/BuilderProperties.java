package dev.muster.core;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@link CoordinatorBuilder#configure(Map) coordinator properties} into a builder: each key
 * goes to the builder method of the same meaning, and the {@code store.}, {@code trust.} and
 * {@code transport.} prefixes gather their plug-in's settings. An unknown key or a value that does
 * not parse is refused with a message that names the key.
 */
final class BuilderProperties {
    private BuilderProperties() {}

    static void apply(CoordinatorBuilder b, Map<String, String> properties) {
        Map<String, String> store = new TreeMap<>();
        Map<String, String> trust = new TreeMap<>();
        Map<String, String> transport = new TreeMap<>();
        String transportName = null;
        String storeName = null;
        String trustName = null;
        for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
            String key = e.getKey();
            String value = CoordinatorBuilder.require(e.getValue(), "property " + key).trim();
            if (key.startsWith("store.")) {
                store.put(key.substring(6), value);
                continue;
            }
            if (key.startsWith("trust.")) {
                trust.put(key.substring(6), value);
                continue;
            }
            if (key.startsWith("transport.")) {
                transport.put(key.substring(10), value);
                continue;
            }
            switch (key) {
                case "store" -> storeName = value;
                case "trust" -> trustName = value;
                case "transport" -> transportName = value;
                case "validators" -> b.validators(split(value).toArray(new String[0]));
                case "signatures" -> b.signatures(bool(key, value));
                case "heartbeat.interval" -> b.heartbeatInterval(duration(key, value));
                case "offline.after" -> b.offlineAfter(duration(key, value));
                case "housekeeping.interval" -> b.housekeepingInterval(duration(key, value));
                case "purge.after" -> b.purgeAfter(duration(key, value));
                case "challenge.ttl" -> b.challengeTtl(duration(key, value));
                case "challenge.secret" -> b.challengeSecret(hex(key, value));
                case "lease.maxBatch" -> b.maxLeaseBatch(integer(key, value));
                case "submit.maxBatch" -> b.maxSubmitBatch(integer(key, value));
                case "report.maxBatch" -> b.maxReportBatch(integer(key, value));
                case "payload.maxBytes" -> b.maxPayloadBytes(integer(key, value));
                case "result.maxBytes" -> b.maxResultBytes(integer(key, value));
                case "owner.maxLeases" -> b.ownerLeaseLimit(integer(key, value));
                case "client.builds" -> b.allowedClientBuilds(new LinkedHashSet<>(split(value)));
                case "worker.leaseRate" -> b.workerLeaseRate(decimal(key, value));
                case "owner.leaseRate" -> b.ownerLeaseRate(decimal(key, value));
                case "rejections.perMinute" -> b.rejectionsPerMinute(integer(key, value));
                default -> throw new ConfigurationException("unknown setting '" + key + "'");
            }
        }
        if (storeName != null || !store.isEmpty()) {
            b.store(storeName != null ? storeName : b.storeName(), store);
        }
        if (transportName != null) {
            b.transport(transportName, transport);
        } else if (!transport.isEmpty()) {
            throw new ConfigurationException("transport.* settings are given but 'transport' (its name) is not");
        }
        if (trustName != null) {
            b.trustPolicy(trustName, trust);
        } else if (!trust.isEmpty()) {
            throw new ConfigurationException("trust.* settings are given but 'trust' (the policy name) is not");
        }
    }

    private static List<String> split(String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    private static boolean bool(String key, String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new ConfigurationException(key + " must be true or false, was '" + value + "'");
    }

    private static double decimal(String key, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key + " must be a number, was '" + value + "'");
        }
    }

    private static int integer(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(key + " must be a whole number, was '" + value + "'");
        }
    }

    private static byte[] hex(String key, String value) {
        try {
            return HexFormat.of().parseHex(value.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key + " must be hexadecimal (64 digits or more): " + e.getMessage());
        }
    }

    static Duration duration(String key, String value) {
        return Durations.parse(key, value);
    }
}
