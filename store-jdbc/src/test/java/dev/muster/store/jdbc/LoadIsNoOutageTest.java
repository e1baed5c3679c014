package dev.muster.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import dev.muster.spi.JobSpec;
import dev.muster.spi.StoreUnavailableException;
import dev.muster.spi.store.NewJob;
import dev.muster.spi.store.StoreHealth;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A saturated pool and a lock timeout are load, not outages: the call fails alone, the store is
 * not marked down, no outage is counted (which would restart the coordinator's grace period for
 * silent workers) and the pool's connections are kept. Real exceptions: a real HikariCP pool on
 * H2 with its one connection held, and a real H2 lock timeout.
 */
class LoadIsNoOutageTest {
    private static HikariDataSource pool(String url, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setAutoCommit(false);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(250);
        config.setValidationTimeout(250);
        config.setExceptionOverride(Availability.quietEviction());
        return new HikariDataSource(config);
    }

    private static List<NewJob> jobs(int n) {
        JobSpec spec = JobSpec.builder("pool-test", ("game " + n).getBytes(StandardCharsets.UTF_8)).seed(n)
                .submitter("lab").build();
        String payloadDigest = spec.payloadDigest();
        return List.of(new NewJob(spec, spec.contentDigest(payloadDigest), payloadDigest, 1, Instant.now()));
    }

    @Test
    void aSaturatedPool_isBusy_notAnOutage() throws SQLException {
        String url = TestDatabases.newH2();
        try (HikariDataSource one = pool(url, 1); Connection held = one.getConnection()) {
            assertTrue(held.isValid(1));
            SQLException timeout = assertThrows(SQLException.class, one::getConnection);
            System.out.println("saturated pool: " + timeout + ", cause " + timeout.getCause());
            assertTrue(timeout instanceof SQLTransientConnectionException, String.valueOf(timeout));
            assertNull(timeout.getCause(), "a pool that is only busy records no connection failure");
            assertEquals(Availability.Kind.BUSY, new Availability(one).ofPoolFailure(timeout));
        }
        // The store needs two connections to open (migrations), so its pool has two, both held.
        try (HikariDataSource pool = pool(url, 2); JdbcStore store = new JdbcStore(pool, null, 1000, false, null, dev.muster.spi.store.JobLifecycle.STANDARD)) {
            store.submit(jobs(1));
            Connection held = pool.getConnection();
            Connection held2 = pool.getConnection();
            Object physical = held.unwrap(org.h2.jdbc.JdbcConnection.class);

            StoreUnavailableException busy = assertThrows(StoreUnavailableException.class,
                    () -> store.submit(jobs(2)));
            assertEquals("the store is busy and could not submit jobs in time; nothing was changed, try again later",
                    busy.getMessage());
            // Not unreachable: the next call waits for a connection too rather than being refused at once.
            StoreUnavailableException again = assertThrows(StoreUnavailableException.class,
                    () -> store.submit(jobs(3)));
            assertEquals(busy.getMessage(), again.getMessage());

            held2.close();
            StoreHealth health = store.checkHealth();
            assertTrue(health.available(), String.valueOf(health));
            assertEquals(0, health.outages(), "load is no outage");
            held.close();
            assertEquals(2, pool.getHikariPoolMXBean().getTotalConnections());
            boolean kept = false;
            try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
                kept = a.unwrap(org.h2.jdbc.JdbcConnection.class) == physical
                        || b.unwrap(org.h2.jdbc.JdbcConnection.class) == physical;
            }
            assertTrue(kept, "the pool's connections were not evicted");
            assertEquals(1, store.submit(jobs(4)).size());
        }
    }

    @Test
    void aPoolThatCannotConnect_isAnOutage() throws SQLException {
        SQLException connectFailure = new SQLException("Connection refused", "08001");
        SQLTransientConnectionException timeout = new SQLTransientConnectionException(
                "muster-store - Connection is not available, request timed out after 250ms", "08001", connectFailure);
        try (HikariDataSource pool = pool(TestDatabases.newH2(), 1)) {
            assertEquals(Availability.Kind.OUTAGE, new Availability(pool).ofPoolFailure(timeout));
        }
    }

    @Test
    void aLockTimeout_isBusy_keepsTheConnection_andCountsNoOutage() throws SQLException {
        String url = TestDatabases.newH2() + ";LOCK_TIMEOUT=200";
        try (HikariDataSource pool = pool(url, 3); JdbcStore store = new JdbcStore(pool, null, 1000, false, null, dev.muster.spi.store.JobLifecycle.STANDARD)) {
            store.submit(jobs(1));
            try (Connection locker = pool.getConnection(); Statement s = locker.createStatement()) {
                // Every count shard a submission adds to, locked until the rollback below.
                s.executeUpdate("update muster_count set n = n");

                SQLException lockTimeout;
                try (Connection other = pool.getConnection(); Statement o = other.createStatement()) {
                    lockTimeout = assertThrows(SQLException.class,
                            () -> o.executeUpdate("update muster_count set n = n"));
                    other.rollback();
                }
                System.out.println("lock timeout: " + lockTimeout);
                assertEquals(50200, lockTimeout.getErrorCode());
                assertTrue(lockTimeout instanceof SQLTimeoutException, String.valueOf(lockTimeout));
                assertEquals(Availability.Kind.BUSY, Availability.classify(lockTimeout));
                assertFalse(Availability.breaksConnection(lockTimeout));
                assertEquals(SQLExceptionOverride.Override.DO_NOT_EVICT,
                        Availability.quietEviction().adjudicate(lockTimeout), "HikariCP would evict on a timeout");

                StoreUnavailableException busy = assertThrows(StoreUnavailableException.class,
                        () -> store.submit(jobs(2)));
                assertTrue(busy.getMessage().startsWith("the store is busy"), busy.getMessage());
                assertFalse(busy.getMessage().contains("muster_count"), "no SQL for clients");
                locker.rollback();
            }
            assertEquals(3, pool.getHikariPoolMXBean().getTotalConnections(), "no connection was evicted");
            StoreHealth health = store.checkHealth();
            assertTrue(health.available(), String.valueOf(health));
            assertEquals(0, health.outages());
            assertEquals(1, store.submit(jobs(3)).size());
        }
    }

    @Test
    void statementTimeouts_areBusy_andOnlyConnectionErrorsBreakConnections() {
        assertEquals(Availability.Kind.BUSY, Availability.classify(new SQLException("canceling statement", "57014")));
        assertEquals(Availability.Kind.BUSY, Availability.classify(new SQLException("could not obtain lock", "55P03")));
        assertEquals(Availability.Kind.OUTAGE, Availability.classify(new SQLException("no space", "53100")));
        assertFalse(Availability.breaksConnection(new SQLException("no space", "53100")));
        assertTrue(Availability.breaksConnection(new SQLException("I/O error", "08006")));
        assertTrue(Availability.breaksConnection(new SQLException("terminating connection", "57P01")));
        assertTrue(Availability.breaksConnection(new SQLException("The database has been closed", "90098", 90098)));
    }
}
