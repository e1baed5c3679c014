package dev.muster.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.JobSpec;
import dev.muster.spi.MusterException;
import dev.muster.spi.StoreFailedException;
import dev.muster.spi.StoreUnavailableException;
import dev.muster.spi.store.NewJob;
import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreHealth;
import dev.muster.spi.store.Submitted;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the JDBC store tells an outage from a failed statement, what it tells clients, and that it
 * recovers by itself from a database that closed (H2) or connections that were cut (PostgreSQL).
 */
class StoreRecoveryTest {
    @TempDir
    Path dir;

    private static List<NewJob> jobs(int n, int first) {
        List<NewJob> out = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
            JobSpec spec = JobSpec.builder("pool-test", ("game " + i).getBytes(StandardCharsets.UTF_8)).seed(i)
                    .submitter("lab").build();
            String payloadDigest = spec.payloadDigest();
            out.add(new NewJob(spec, spec.contentDigest(payloadDigest), payloadDigest, 1, Instant.now()));
        }
        return out;
    }

    // ------------------------------------------------------------------ classification

    @Test
    void isOutage_forLostConnectionsClosedDatabasesAndFullDisks() {
        assertTrue(Availability.isOutage(new SQLException("connection refused", "08001")));
        assertTrue(Availability.isOutage(new SQLException("I/O error", "08006")));
        assertTrue(Availability.isOutage(new SQLException("terminating connection", "57P01")));
        assertTrue(Availability.isOutage(new SQLException("could not extend file: no space", "53100")));
        assertTrue(Availability.isOutage(new SQLTransientConnectionException("pool timed out")));
        assertTrue(Availability.isOutage(new SQLException("The database has been closed", "90098", 90098)));
        assertTrue(Availability.isOutage(new SQLException("General error", "HY000", 50000,
                new IllegalStateException("Writing failed", new IOException("No space left on device")))));
        SQLException chained = new SQLException("batch failed", "HY000");
        chained.setNextException(new SQLException("I/O error", "08006"));
        assertTrue(Availability.isOutage(chained), "a cause down the chain counts");
    }

    @Test
    void isOutage_notForAStatementsOwnFailure() {
        assertFalse(Availability.isOutage(new SQLException("duplicate key", "23505")));
        assertFalse(Availability.isOutage(new SQLException("value too long for type character varying(128)", "22001")));
        assertFalse(Availability.isOutage(new SQLException("General error", "HY000", 50000,
                new IllegalStateException("a bug"))));
    }

    @Test
    void failed_givesClientsAPlainMessage_andKeepsTheDriversForTheLog() {
        Availability a = new Availability(null);
        SQLException driver = new SQLException("ERROR: value too long; SQL statement: insert into muster_job ...",
                "22001");
        MusterException refused = a.failed("submit jobs", driver, Availability.classify(driver), false);
        assertTrue(refused instanceof StoreFailedException, "a statement's own failure is a server fault: " + refused);
        assertEquals("store-failed", refused.code());
        assertEquals("the store failed to submit jobs; nothing was changed", refused.getMessage());
        assertEquals(driver, refused.getCause());
        assertEquals(0, a.outages(), "a statement's failure is no outage");

        MusterException away = a.failed("record results",
                new SQLException("Connection to localhost:5432 refused", "08001"), Availability.Kind.OUTAGE, false);
        assertTrue(away instanceof StoreUnavailableException, String.valueOf(away));
        assertEquals("the store's database is unavailable, so it could not record results; nothing was changed, "
                + "try again later", away.getMessage());
        assertEquals(1, a.outages());
        assertTrue(a.down());
        MusterException inDoubt = a.failed("record results", new SQLException("I/O error", "08006"),
                Availability.Kind.OUTAGE, true);
        assertTrue(inDoubt.getMessage().contains("may or may not have taken effect"), inDoubt.getMessage());
        assertEquals(1, a.outages(), "one outage however many calls fail in it");
        a.succeeded();
        assertFalse(a.down());
        a.failed("lease jobs", new SQLException("I/O error", "08006"), Availability.Kind.OUTAGE, false);
        assertEquals(2, a.outages());
    }

    @Test
    void aStatementsOwnFailureAtCommit_isAServerFault_inDoubt_withNoSqlForClients() throws SQLException {
        SQLException real;
        try (Connection c = DriverManager.getConnection(TestDatabases.newH2()); Statement s = c.createStatement()) {
            s.execute("create table narrow (v varchar(1))");
            real = assertThrows(SQLException.class, () -> s.executeUpdate("insert into narrow values ('too long')"));
        }
        assertEquals("22001", real.getSQLState());
        assertEquals(Availability.Kind.FAULT, Availability.classify(real));
        Availability a = new Availability(null);
        MusterException inDoubt = a.failed("record results", real, Availability.classify(real), true);
        assertTrue(inDoubt instanceof StoreFailedException, String.valueOf(inDoubt));
        assertEquals("store-failed", inDoubt.code(), "transports answer 500 for it, not 503");
        assertEquals("the store failed while it committed the call to record results, which may or may not have "
                + "taken effect", inDoubt.getMessage());
        assertFalse(inDoubt.getMessage().toLowerCase(java.util.Locale.ROOT).contains("narrow"), "no SQL for clients");
        assertSame(real, inDoubt.getCause());
        assertFalse(a.down());
        assertEquals(0, a.outages());
    }

    @Test
    void whileThePoolCannotConnect_oneCallTriesAndTheOthersAreRefusedAtOnce() {
        Availability a = new Availability(null);
        assertEquals(Availability.Admission.GO, a.admit());
        a.connecting(Availability.Admission.GO, false, true);
        Availability.Admission first = a.admit();
        assertEquals(Availability.Admission.TRY, first);
        assertEquals(Availability.Admission.REFUSE, a.admit(), "one call tries at a time");
        StoreUnavailableException refused = a.refuse("lease jobs");
        assertEquals("the store's database is unavailable, so it could not lease jobs; nothing was changed, try "
                + "again later", refused.getMessage());
        a.connecting(first, false, true);
        Availability.Admission second = a.admit();
        assertEquals(Availability.Admission.TRY, second, "the next call tries once the last trial failed");
        a.connecting(second, true, false);
        assertEquals(Availability.Admission.GO, a.admit(), "a connection from the pool lets every call through");
        assertEquals(Availability.Admission.GO, a.admit());
        assertEquals(1, a.refused());
    }

    @Test
    void connectionTimeout_isValidated_withAMessageNamingTheSetting() {
        assertEquals(Duration.ofSeconds(2), JdbcStoreSettings.connectionTimeout(null));
        assertEquals(Duration.ofMillis(500), JdbcStoreSettings.connectionTimeout("500ms"));
        assertEquals(Duration.ofSeconds(3), JdbcStoreSettings.connectionTimeout("3s"));
        assertEquals(Duration.ofSeconds(5), JdbcStoreSettings.connectionTimeout("PT5S"));
        for (String bad : List.of("0s", "100ms", "2 hours", "-1s", "2m", "", "fast")) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> JdbcStoreSettings.connectionTimeout(bad), bad);
            assertTrue(e.getMessage().startsWith("store.connectionTimeout must be"), e.getMessage());
        }
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> JdbcStore.open(
                Map.of("url", TestDatabases.newH2(), "connectionTimeout", "forever")));
        assertTrue(e.getMessage().contains("store.connectionTimeout"), e.getMessage());
    }

    // ------------------------------------------------------------------ recovery

    @Test
    void h2_whoseDatabaseClosed_opensItAgainByItself_withEveryCommittedJob() throws SQLException {
        String url = "jdbc:h2:file:" + dir.resolve("muster") + ";WRITE_DELAY=0";
        try (Store store = JdbcStore.open(Map.of("url", url, "poolSize", "3"))) {
            List<Submitted> before = store.submit(jobs(20, 0));
            // What H2 does by itself after a failed write: the database closes under the pool.
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("shutdown");
            }
            List<Submitted> after = store.submit(jobs(5, 20));
            assertEquals(5, after.size(), "the store opened its database again without a restart");
            for (Submitted s : before) {
                assertTrue(store.job(s.job().id()).isPresent(), "committed job " + s.job().id() + " survived");
            }
            StoreHealth health = store.checkHealth();
            assertTrue(health.available(), String.valueOf(health));
        }
    }

    @Test
    void postgres_whoseConnectionsWereCut_servesOnFreshOnes() throws SQLException {
        String url = TestDatabases.newPostgres();
        String database = url.substring(url.lastIndexOf('/') + 1, url.contains("?") ? url.indexOf('?') : url.length());
        try (Store store = JdbcStore.open(Map.of("url", url, "poolSize", "3"))) {
            List<Submitted> before = store.submit(jobs(20, 0));
            int cut;
            try (Connection c = DriverManager.getConnection(url); PreparedStatement ps = c.prepareStatement(
                    "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname = ?"
                            + " and pid <> pg_backend_pid()")) {
                ps.setString(1, database);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    cut = rs.getInt(1);
                }
            }
            assertTrue(cut >= 1, "cut the store's connections: " + cut);
            assertEquals(5, store.submit(jobs(5, 20)).size(), "served on a fresh connection");
            for (Submitted s : before) {
                assertTrue(store.job(s.job().id()).isPresent());
            }
            assertTrue(store.checkHealth().available());
        }
    }
}
