package dev.muster.core;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.Durations;
import dev.muster.spi.SettingsReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads {@link CoordinatorBuilder#configure(Map) coordinator properties} into a builder: each key
 * goes to the builder method of the same meaning, and the {@code store.}, {@code trust.} and
 * {@code transport.} prefixes gather their plug-in's settings. An unknown key or a value that does
 * not parse is refused with a message that names the key.
 */
final class BuilderProperties {
    private BuilderProperties() {}

    /** The properties without a plug-in prefix, each read by one builder method. */
    private static final Set<String> KNOWN = Set.of("store", "trust", "transport", "validators", "signatures",
            "heartbeat.interval", "offline.after", "housekeeping.interval", "purge.after", "challenge.ttl",
            "challenge.secret", "lease.maxBatch", "lease.maxWait", "submit.maxBatch", "report.maxBatch", "payload.maxBytes",
            "result.maxBytes", "owner.maxLeases", "client.builds", "worker.leaseRate", "owner.leaseRate",
            "rejections.perMinute", "signing.keyFile", "owners.accounts", "owners.signup", "owners.newKeysPerHour");

    static void apply(CoordinatorBuilder b, Map<String, String> properties) {
        Map<String, String> store = new TreeMap<>();
        Map<String, String> trust = new TreeMap<>();
        Map<String, String> transport = new TreeMap<>();
        Map<String, String> own = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
            String key = e.getKey();
            String value = SettingChecks.require(e.getValue(), "property " + key).trim();
            if (key.startsWith("store.")) {
                store.put(key.substring(6), value);
            } else if (key.startsWith("trust.")) {
                trust.put(key.substring(6), value);
            } else if (key.startsWith("transport.")) {
                transport.put(key.substring(10), value);
            } else {
                own.put(key, value);
            }
        }
        SettingsReader r = SettingsReader.of("", "coordinator", own, KNOWN);
        for (String key : own.keySet()) {
            switch (key) {
                case "store", "trust", "transport" -> { }
                case "validators" -> b.validators(split(r.string(key, "")).toArray(new String[0]));
                case "signatures" -> b.signatures(r.bool(key, true));
                case "heartbeat.interval" -> b.heartbeatInterval(r.duration(key, null));
                case "offline.after" -> b.offlineAfter(r.duration(key, null));
                case "housekeeping.interval" -> b.housekeepingInterval(r.duration(key, null));
                case "purge.after" -> b.purgeAfter(r.duration(key, null));
                case "challenge.ttl" -> b.challengeTtl(r.duration(key, null));
                case "challenge.secret" -> b.challengeSecret(hex(r, key));
                case "lease.maxBatch" -> b.maxLeaseBatch(r.integer(key, 0));
                case "lease.maxWait" -> b.maxLongPoll(r.duration(key, null));
                case "submit.maxBatch" -> b.maxSubmitBatch(r.integer(key, 0));
                case "report.maxBatch" -> b.maxReportBatch(r.integer(key, 0));
                case "payload.maxBytes" -> b.maxPayloadBytes(r.integer(key, 0));
                case "result.maxBytes" -> b.maxResultBytes(r.integer(key, 0));
                case "owner.maxLeases" -> b.ownerLeaseLimit(r.integer(key, 0));
                case "client.builds" -> b.allowedClientBuilds(new LinkedHashSet<>(split(r.string(key, ""))));
                case "worker.leaseRate" -> b.workerLeaseRate(r.decimal(key, 0));
                case "owner.leaseRate" -> b.ownerLeaseRate(r.decimal(key, 0));
                case "signing.keyFile" -> b.signingKeyFile(java.nio.file.Path.of(r.string(key, "")));
                case "rejections.perMinute" -> b.rejectionsPerMinute(r.integer(key, 0));
                case "owners.accounts" -> b.ownerAccounts(choice(r, key, "verified", "declared"));
                case "owners.signup" -> b.ownerSignUp(choice(r, key, "open", "closed"));
                case "owners.newKeysPerHour" -> b.newKeysPerOwnerPerHour(r.integer(key, 10, 0, 1_000_000));
                default -> throw new IllegalStateException("a known property without a reader: " + key);
            }
        }
        String storeName = r.string("store", null);
        String transportName = r.string("transport", null);
        String trustName = r.string("trust", null);
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

    private static byte[] hex(SettingsReader r, String key) {
        try {
            return HexFormat.of().parseHex(r.string(key, ""));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(r.fullKey(key) + " must be hexadecimal (64 digits or more): "
                    + e.getMessage());
        }
    }

    static Duration duration(String key, String value) {
        return Durations.parse(key, value);
    }

    /** @return true for {@code yes}, false for {@code no}: a setting with two named values */
    private static boolean choice(SettingsReader r, String key, String yes, String no) {
        String v = r.string(key, no);
        if (v.equals(yes) || v.equals(no)) {
            return v.equals(yes);
        }
        throw r.invalid(key, "must be '" + yes + "' or '" + no + "'");
    }
}
