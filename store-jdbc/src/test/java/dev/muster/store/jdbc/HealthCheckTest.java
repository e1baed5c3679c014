package dev.muster.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.store.StoreHealth;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The health check commits a write to a row nothing else writes, so transactions holding the hot
 * count rows cannot make it time out, and its own timeout is load, not an outage.
 */
class HealthCheckTest {
    private static long checkedAt(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select checked_at from muster_health where id = 1")) {
            assertTrue(rs.next(), "the migration seeds the health row");
            return rs.getLong(1);
        }
    }

    @Test
    void theCheckWritesItsOwnRow_whileSubmissionsHoldEveryCountShard() throws SQLException {
        String url = TestDatabases.newH2();
        try (JdbcStore store = JdbcStore.open(Map.of("url", url, "poolSize", "3"));
                Connection locker = DriverManager.getConnection(url); Statement s = locker.createStatement()) {
            locker.setAutoCommit(false);
            // The store wrote the row when it opened, maybe within the same millisecond as the
            // check to come: start from a value the check's clock cannot give.
            s.executeUpdate("update muster_health set checked_at = 0 where id = 1");
            locker.commit();
            long before = checkedAt(locker);
            // What lease and submit transactions do: lock the count shards until they commit.
            int locked = s.executeUpdate("update muster_count set n = n");
            assertTrue(locked > 0, "locked count rows: " + locked);
            long started = System.nanoTime();
            StoreHealth health = store.checkHealth();
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("health check with %d count rows locked: %s in %d ms%n", locked, health, millis);
            assertTrue(health.available(), String.valueOf(health));
            assertTrue(millis < 2_000, "the check did not wait for the count rows: " + millis + " ms");
            locker.rollback();
            assertTrue(checkedAt(locker) > before, "the check committed a write to its own row");
        }
    }

    @Test
    void theChecksOwnTimeout_isNoOutage() throws SQLException {
        String url = TestDatabases.newH2();
        try (JdbcStore store = JdbcStore.open(
                Map.of("url", url + ";LOCK_TIMEOUT=300", "poolSize", "3"));
                Connection locker = DriverManager.getConnection(url); Statement s = locker.createStatement()) {
            locker.setAutoCommit(false);
            long before = checkedAt(locker);
            assertEquals(1, s.executeUpdate("update muster_health set checked_at = checked_at where id = 1"));
            long started = System.nanoTime();
            StoreHealth health = store.checkHealth();
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("health check behind a locked health row: " + health + " in " + millis + " ms");
            assertTrue(millis >= 250, "the check waited for the lock: " + millis + " ms");
            assertTrue(health.available(), "a check that ran out of time is load, not an outage: " + health);
            assertEquals(0, health.outages(), "no outage counted");
            locker.rollback();
            assertEquals(before, checkedAt(locker), "the check timed out, so it wrote nothing");
            health = store.checkHealth();
            assertTrue(health.available(), String.valueOf(health));
            assertEquals(0, health.outages());
        }
    }
}
