package dev.muster.store.memory.internal;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.SettingsReader;
import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreProvider;
import dev.muster.store.memory.MemoryStore;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Opens a {@link MemoryStore} by the name {@code memory}. Settings (all optional):
 * {@code rejectionLogSize} (default 100000), {@code retainFinished} (default 1000000),
 * {@code ledgerRetention}, how long hourly credit buckets are kept for windowed leaderboards (a
 * duration from 1h to 3650d, default 31d, rounded up to whole hours), or the older
 * {@code ledgerRetentionHours} (a number of hours; not both).
 */
public final class MemoryStoreProvider implements StoreProvider {
    private static final Set<String> KNOWN = Set.of("rejectionLogSize", "retainFinished", "ledgerRetention",
            "ledgerRetentionHours");
    private static final Duration DEFAULT_LEDGER_RETENTION = Duration.ofDays(31);

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Store open(Map<String, String> settings) {
        SettingsReader s = SettingsReader.of("store.", "memory store", settings, KNOWN);
        if (s.has("ledgerRetention") && s.has("ledgerRetentionHours")) {
            throw new ConfigurationException("store.ledgerRetention and store.ledgerRetentionHours say the same; "
                    + "give one");
        }
        long hours = s.has("ledgerRetentionHours")
                ? s.longInteger("ledgerRetentionHours", 0, 1, Long.MAX_VALUE)
                : (s.duration("ledgerRetention", DEFAULT_LEDGER_RETENTION, Duration.ofHours(1), Duration.ofDays(3650))
                        .toMinutes() + 59) / 60;
        return new MemoryStore(
                s.integer("rejectionLogSize", 100_000, 1, Integer.MAX_VALUE),
                s.longInteger("retainFinished", 1_000_000, 1, Long.MAX_VALUE),
                hours);
    }
}
