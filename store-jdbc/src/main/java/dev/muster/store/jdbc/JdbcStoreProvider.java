package dev.muster.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.muster.spi.ConfigurationException;
import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreProvider;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Opens a {@link JdbcStore} by the name {@code jdbc}, with a HikariCP connection pool. Settings:
 * <ul>
 *   <li>{@code url} (required): a JDBC URL, {@code jdbc:postgresql://host/db} or
 *       {@code jdbc:h2:file:/path/to/muster} (H2 URLs get {@code LOCK_TIMEOUT=10000} unless they
 *       set one: the default one second is too short for a busy pool);</li>
 *   <li>{@code user}, {@code password}: credentials, if the database wants them;</li>
 *   <li>{@code poolSize}: most connections, default 10 (one more is kept by the coordinator that
 *       runs housekeeping on PostgreSQL);</li>
 *   <li>{@code rejectionLogSize}: rejection-log entries kept, default 100000.</li>
 * </ul>
 */
public final class JdbcStoreProvider implements StoreProvider {
    private static final Set<String> KNOWN = Set.of("url", "user", "password", "poolSize", "rejectionLogSize");

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public Store open(Map<String, String> settings) {
        for (String key : settings.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new ConfigurationException("unknown jdbc store setting 'store." + key + "'; known: " + KNOWN);
            }
        }
        String url = settings.get("url");
        if (url == null || url.isBlank()) {
            throw new ConfigurationException("store.url is required for the jdbc store, e.g. "
                    + "jdbc:postgresql://localhost/muster or jdbc:h2:file:./data/muster");
        }
        url = url.trim();
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:postgresql:") && !lower.startsWith("jdbc:h2:")) {
            throw new ConfigurationException("store.url must be a PostgreSQL or H2 JDBC URL, was '" + url + "'");
        }
        if (lower.startsWith("jdbc:h2:") && !lower.contains(";lock_timeout=")) {
            url = url + ";LOCK_TIMEOUT=10000";
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("muster-store");
        config.setJdbcUrl(url);
        config.setUsername(settings.get("user"));
        config.setPassword(settings.get("password"));
        config.setAutoCommit(false);
        config.setMaximumPoolSize(positive(settings, "poolSize", 10));
        config.setInitializationFailTimeout(10_000);
        if (lower.startsWith("jdbc:postgresql:")) {
            // One multi-row INSERT per batch instead of one statement per row.
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new ConfigurationException("cannot open the jdbc store at " + url + ": " + e.getMessage());
        }
        try {
            return new JdbcStore(pool, pool, positive(settings, "rejectionLogSize", 100_000));
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static int positive(Map<String, String> settings, String key, int fallback) {
        String value = settings.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigurationException("store." + key + " must be a positive whole number, was '" + value + "'");
        }
    }
}
