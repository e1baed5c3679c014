package dev.muster.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.muster.spi.ConfigurationException;
import dev.muster.spi.Durations;
import dev.muster.spi.SettingsReader;
import dev.muster.spi.store.JobLifecycle;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Opens a {@link JdbcStore} from settings: a HikariCP pool on the URL, the database's durability
 * settings, and for SQLite the file's lock. The settings are described at
 * {@link JdbcStore#open(Map)}.
 */
final class JdbcStoreSettings {
    private static final Set<String> KNOWN = Set.of("url", "user", "password", "poolSize", "rejectionLogSize",
            "connectionTimeout", "fsync");
    private static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);
    private static final Duration MAX_CONNECTION_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Longest a statement may wait for the server's answer on PostgreSQL. Only a statement under
     * way when the server vanishes waits this long (the pool checks idle connections before
     * handing them out), so it is set far above what a busy store's statement may take behind
     * locks: 30 s cut leases in a contract test on a loaded machine.
     */
    private static final int SOCKET_TIMEOUT_SECONDS = 300;

    private JdbcStoreSettings() {}

    static JdbcStore open(Map<String, String> settings) {
        return open(settings, JobLifecycle.STANDARD);
    }

    /** Opens a store from settings that applies {@code lifecycle}'s rules to the jobs it holds. */
    static JdbcStore open(Map<String, String> settings, JobLifecycle lifecycle) {
        SettingsReader s = SettingsReader.of("store.", "jdbc store", settings, KNOWN);
        String url = s.required("url", "e.g. jdbc:postgresql://localhost/muster or jdbc:sqlite:./data/muster.db");
        String lower = url.toLowerCase(Locale.ROOT);
        boolean sqlite = lower.startsWith("jdbc:sqlite:");
        if (!lower.startsWith("jdbc:postgresql:") && !lower.startsWith("jdbc:h2:") && !sqlite) {
            throw new ConfigurationException("store.url must be a PostgreSQL, SQLite or H2 JDBC URL, was '" + url + "'");
        }
        boolean h2 = lower.startsWith("jdbc:h2:");
        if (h2 && !lower.contains(";lock_timeout=")) {
            url = url + ";LOCK_TIMEOUT=10000";
        }
        if (h2 && !lower.contains(";write_delay=")) {
            url = url + ";WRITE_DELAY=0";
        }
        if (s.has("fsync") && !h2 && !sqlite) {
            throw new ConfigurationException("store.fsync applies to SQLite and H2 only; on PostgreSQL the server's "
                    + "fsync and synchronous_commit settings decide");
        }
        boolean forceCommits = s.bool("fsync", true);
        boolean syncEachTransaction = h2 && forceCommits;
        Duration connectionTimeout = connectionTimeout(s);
        int poolSize = s.integer("poolSize", 10, 1, Integer.MAX_VALUE);
        int rejectionLogSize = s.integer("rejectionLogSize", 100_000, 1, Integer.MAX_VALUE);
        HikariConfig config = new HikariConfig();
        config.setPoolName("muster-store");
        config.setJdbcUrl(url);
        config.setUsername(s.string("user", null));
        config.setPassword(settings.get("password")); // as given: a password may end in a space
        config.setAutoCommit(false);
        config.setMaximumPoolSize(poolSize);
        config.setInitializationFailTimeout(10_000);
        config.setConnectionTimeout(connectionTimeout.toMillis());
        // Checking a pooled connection before handing it out must fit in the wait for one.
        config.setValidationTimeout(Math.max(250, Math.min(1_000, connectionTimeout.toMillis() / 2)));
        config.setExceptionOverride(Availability.quietEviction());
        if (lower.startsWith("jdbc:postgresql:")) {
            // One multi-row INSERT per batch instead of one statement per row.
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            // Without these a call during an outage waits 10 s for a connection attempt, and a
            // statement on a connection whose server vanished waits for ever.
            config.addDataSourceProperty("connectTimeout",
                    String.valueOf(Math.max(1, (connectionTimeout.toMillis() + 999) / 1000)));
            config.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT_SECONDS));
            config.addDataSourceProperty("tcpKeepAlive", "true");
        }
        SqliteFile file = null;
        if (sqlite) {
            file = SqliteFile.lock(url);
            // SQLite opens the real file that was locked, whatever symbolic links the URL went through.
            int query = url.indexOf('?');
            config.setJdbcUrl("jdbc:sqlite:" + file.database() + (query < 0 ? "" : url.substring(query)));
            if (!nativeLibraryLoads()) {
                file.close();
                throw new ConfigurationException("the SQLite store cannot load SQLite's native library, which its "
                        + "driver unpacks into java.io.tmpdir (" + System.getProperty("java.io.tmpdir") + "); if that "
                        + "directory does not allow running code (noexec), point -Dorg.sqlite.tmpdir at one that does");
            }
            // The write-ahead log: a commit appends to it, readers never wait for the writer, and
            // recovery replays it. FULL syncs the log at every commit; NORMAL only at checkpoints,
            // which a killed process does not lose but a power failure may.
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("synchronous", forceCommits ? "FULL" : "NORMAL");
            config.addDataSourceProperty("busy_timeout", "10000");
        }
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            closeQuietly(file);
            throw new ConfigurationException("cannot open the jdbc store at " + url + ": " + e.getMessage());
        }
        SqliteFile lockedFile = file;
        AutoCloseable owned = lockedFile == null ? pool : () -> {
            try {
                pool.close();
            } finally {
                lockedFile.close();
            }
        };
        try {
            return new JdbcStore(pool, owned, rejectionLogSize, syncEachTransaction, file, lifecycle);
        } catch (RuntimeException e) {
            pool.close();
            closeQuietly(file);
            throw e;
        }
    }

    private static boolean nativeLibraryLoads() {
        try {
            return org.sqlite.SQLiteJDBCLoader.initialize();
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    private static void closeQuietly(SqliteFile file) {
        if (file != null) {
            file.close();
        }
    }

    /** Parses {@code store.connectionTimeout} (see {@link Durations}) and checks its bounds. */
    static Duration connectionTimeout(String value) {
        return connectionTimeout(SettingsReader.of("store.", "jdbc store",
                value == null ? Map.of() : Map.of("connectionTimeout", value), KNOWN));
    }

    private static Duration connectionTimeout(SettingsReader s) {
        return s.duration("connectionTimeout", DEFAULT_CONNECTION_TIMEOUT, MIN_CONNECTION_TIMEOUT,
                MAX_CONNECTION_TIMEOUT);
    }
}
