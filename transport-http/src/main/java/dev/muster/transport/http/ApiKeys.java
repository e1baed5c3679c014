package dev.muster.transport.http;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.Digests;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Limits;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * API keys of submitters and admins, kept only as SHA-256 hashes, each with a name and scopes.
 * Configured as {@code apiKeys=name:scope+scope:sha256hex,...}; the name is the submitter jobs
 * are filed under.
 */
final class ApiKeys {
    /** What a key may do. */
    enum Scope {
        /** Submit and cancel jobs. */
        SUBMIT,
        /** Read jobs and results. */
        READ,
        /** Workers, bans, allowlist, rejection log. */
        ADMIN
    }

    /** A caller identified by its key. */
    record Caller(String name, Set<Scope> scopes) {}

    private final Map<String, Caller> byHash = new HashMap<>();

    ApiKeys(String spec) {
        if (spec == null || spec.isBlank()) {
            return;
        }
        String[] entries = spec.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i];
            String[] f = entry.trim().split(":");
            if (f.length != 3 || !Digests.isSha256Hex(f[2].trim())) {
                throw new ConfigurationException("transport.apiKeys entries are name:scope+scope:sha256-hex-of-key;"
                        + " got '" + entry.trim().replaceAll("[0-9a-f]{16,}", "...") + "'");
            }
            String name = f[0].trim();
            try {
                // The name is the submitter of every job the key submits: it has to pass as one.
                Limits.SUBMITTER.text(name, "the name of entry " + (i + 1));
            } catch (InvalidRequestException e) {
                throw new ConfigurationException("transport.apiKeys: " + e.getMessage());
            }
            EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
            for (String s : f[1].split("\\+")) {
                try {
                    scopes.add(Scope.valueOf(s.trim().toUpperCase()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigurationException("transport.apiKeys: unknown scope '" + s + "' for '" + f[0]
                            + "'; scopes are submit, read, admin");
                }
            }
            byHash.put(f[2].trim(), new Caller(name, Set.copyOf(scopes)));
        }
    }

    /** @return the hash to configure for a key */
    static String hash(String key) {
        return Digests.sha256Hex(key.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the caller for a presented key, or null */
    Caller lookup(String presentedKey) {
        return presentedKey == null ? null : byHash.get(hash(presentedKey));
    }
}
