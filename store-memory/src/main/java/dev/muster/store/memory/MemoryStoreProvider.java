package dev.muster.store.memory;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreProvider;
import java.util.Map;
import java.util.Set;

/**
 * Opens a {@link MemoryStore} by the name {@code memory}. Settings (all optional):
 * {@code rejectionLogSize} (default 100000), {@code retainFinished} (default 1000000),
 * {@code ledgerRetentionHours} (default 744, 31 days).
 */
public final class MemoryStoreProvider implements StoreProvider {
    private static final Set<String> KNOWN = Set.of("rejectionLogSize", "retainFinished", "ledgerRetentionHours");

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Store open(Map<String, String> settings) {
        for (String key : settings.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new ConfigurationException("unknown memory store setting 'store." + key + "'; known: " + KNOWN);
            }
        }
        return new MemoryStore(
                (int) number(settings, "rejectionLogSize", 100_000),
                number(settings, "retainFinished", 1_000_000),
                number(settings, "ledgerRetentionHours", 31 * 24));
    }

    private static long number(Map<String, String> settings, String key, long fallback) {
        String value = settings.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < 1 || (key.equals("rejectionLogSize") && n > Integer.MAX_VALUE)) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigurationException("store." + key + " must be a positive whole number, was '" + value + "'");
        }
    }
}
