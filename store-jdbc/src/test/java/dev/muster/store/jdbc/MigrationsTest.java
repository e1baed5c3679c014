package dev.muster.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.store.Store;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Schema migrations: applied once when coordinators start together, and a newer schema is refused. */
class MigrationsTest {

    @Test
    void coordinatorsStartingTogether_applyTheSchemaOnce() throws Exception {
        String url = TestDatabases.newPostgres();
        int starters = 4;
        ExecutorService pool = Executors.newFixedThreadPool(starters);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Store>> opened = new ArrayList<>();
        try {
            for (int i = 0; i < starters; i++) {
                Callable<Store> open = () -> {
                    go.await();
                    return JdbcStore.open(Map.of("url", url, "poolSize", "2"));
                };
                opened.add(pool.submit(open));
            }
            go.countDown();
            for (Future<Store> f : opened) {
                f.get(60, TimeUnit.SECONDS).close();
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), count(distinct version) from " + Migrations.HISTORY_TABLE
                     + " where success")) {
            rs.next();
            assertTrue(rs.getInt(2) >= 2, "versions 1 and 2 applied, found " + rs.getInt(2));
            assertEquals(rs.getInt(2), rs.getInt(1), "each version applied once");
        }
    }

    @Test
    void aDatabaseWithANewerSchema_isRefused() throws Exception {
        String url = TestDatabases.newH2();
        JdbcStore.open(Map.of("url", url)).close();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            // What a later version of Muster would leave behind after migrating the database
            // (Flyway quotes its lower-case names on H2).
            s.execute("insert into \"" + Migrations.HISTORY_TABLE + "\" (\"installed_rank\", \"version\", \"description\","
                    + " \"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") values (99, '99', 'from the future',"
                    + " 'SQL', 'V99__from_the_future.sql', 1, 'muster', 1, true)");
        }
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> JdbcStore.open(Map.of("url", url)));
        assertTrue(e.getMessage().contains("cannot be used by this version"), e.getMessage());
    }

    @Test
    void badSettings_areRefusedWithTheirName() {
        assertTrue(assertThrows(ConfigurationException.class, () -> JdbcStore.open(Map.of()))
                .getMessage().contains("store.url"));
        assertTrue(assertThrows(ConfigurationException.class,
                () -> JdbcStore.open(Map.of("url", "jdbc:mysql://x/y"))).getMessage()
                .contains("PostgreSQL, SQLite or H2"));
        assertTrue(assertThrows(ConfigurationException.class,
                () -> JdbcStore.open(Map.of("url", TestDatabases.newH2(), "pool", "3"))).getMessage()
                .contains("store.pool"));
        assertTrue(assertThrows(ConfigurationException.class,
                () -> JdbcStore.open(Map.of("url", TestDatabases.newH2(), "poolSize", "0")))
                .getMessage().contains("store.poolSize"));
    }
}
