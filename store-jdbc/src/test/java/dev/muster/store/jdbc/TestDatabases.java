package dev.muster.store.jdbc;

import dev.muster.spi.store.JobLifecycle;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real databases for tests. PostgreSQL is the server named by the environment variable
 * {@code MUSTER_TEST_POSTGRES_URL} (a JDBC URL with credentials, on a database whose user may
 * create databases), or else one started once per test JVM from the embedded PostgreSQL binaries
 * on Maven Central. Each call to {@link #newPostgres()} creates a fresh, empty database on it.
 * H2 databases are in memory; SQLite databases are files in a directory of the test JVM's own,
 * deleted when it exits.
 */
public final class TestDatabases {
    /** Environment variable naming an external PostgreSQL server to test against. */
    public static final String POSTGRES_URL_VARIABLE = "MUSTER_TEST_POSTGRES_URL";
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static EmbeddedPostgres embedded;
    private static Path sqliteDir;
    private static String adminUrl;

    private TestDatabases() {}

    private static synchronized String adminUrl() {
        if (adminUrl != null) {
            return adminUrl;
        }
        String external = System.getenv(POSTGRES_URL_VARIABLE);
        if (external != null && !external.isBlank()) {
            adminUrl = external.trim();
            return adminUrl;
        }
        try {
            // Durability settings off: tests kill coordinators, not the database server.
            embedded = EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "300")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
        }
        adminUrl = embedded.getJdbcUrl("postgres", "postgres");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                embedded.close();
            } catch (IOException e) {
                // the JVM is exiting; the temporary cluster goes with it
            }
        }));
        return adminUrl;
    }

    /**
     * Opens a store on {@code url} that applies {@code lifecycle}, with the provider's settings
     * for the database (the settings map cannot name a lifecycle); the pool closes with the store.
     */
    static JdbcStore open(String url, JobLifecycle lifecycle) {
        return JdbcStoreSettings.open(java.util.Map.of("url", url, "poolSize", "12"), lifecycle);
    }

    /** @return the JDBC URL (with credentials) of a new, empty PostgreSQL database */
    public static String newPostgres() {
        String admin = adminUrl();
        String name = "muster_test_" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet();
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " at " + admin, e);
        }
        return withDatabase(admin, name);
    }

    /** Replaces the database name in a {@code jdbc:postgresql://host:port/db?params} URL. */
    static String withDatabase(String url, String database) {
        int hostStart = url.indexOf("//") + 2;
        int pathStart = url.indexOf('/', hostStart);
        int query = url.indexOf('?', hostStart);
        String prefix = url.substring(0, pathStart < 0 || (query >= 0 && query < pathStart) ? (query < 0 ? url.length()
                : query) : pathStart);
        String params = query < 0 ? "" : url.substring(query);
        return prefix + "/" + database + params;
    }

    /** @return the JDBC URL of a new, empty SQLite database file */
    public static synchronized String newSqlite() {
        if (sqliteDir == null) {
            try {
                sqliteDir = Files.createTempDirectory("muster-sqlite-test");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for SQLite test databases", e);
            }
            Path dir = sqliteDir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        }
        return "jdbc:sqlite:" + sqliteDir.resolve("muster_test_" + SEQ.incrementAndGet() + ".db");
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // the JVM is exiting; a leftover temporary file is harmless
        }
    }

    /** @return the JDBC URL of a new, empty in-memory H2 database */
    public static String newH2() {
        return "jdbc:h2:mem:muster_test_" + SEQ.incrementAndGet() + ";DB_CLOSE_DELAY=-1";
    }
}
