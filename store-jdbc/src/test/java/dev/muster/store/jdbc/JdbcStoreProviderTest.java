package dev.muster.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.ConfigurationException;
import dev.muster.spi.store.Store;
import dev.muster.spi.testkit.AcceptAllValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the provider does to an embedded database's URL and file so that an acknowledged call
 * survives a killed process, and what it refuses.
 */
class JdbcStoreProviderTest {

    /** Builds a coordinator on a fresh H2 store with one more store setting and returns the refusal's message. */
    private static String refusedAtBuild(String key, String value) {
        Map<String, String> properties = new HashMap<>(Map.of("store", "jdbc", "store.url", TestDatabases.newH2()));
        properties.put(key, value);
        String message = assertThrows(ConfigurationException.class, () -> Coordinator.builder()
                .trustPolicy(new QuorumPolicy(1, 1, 1, false)).validator(new AcceptAllValidator("pool-test"))
                .configure(properties).build().close(), key + "=" + value).getMessage();
        assertTrue(message.contains(key), "names " + key + ": " + message);
        return message;
    }

    @Test
    void badDuration_badNumber_unknownKey_failWhenTheCoordinatorIsBuilt() {
        String duration = refusedAtBuild("store.connectionTimeout", "two seconds");
        assertTrue(duration.contains("'two seconds'"), duration);
        String range = refusedAtBuild("store.connectionTimeout", "5m");
        assertTrue(range.contains("from 250ms to 1m") && range.contains("'5m'"), range);
        String number = refusedAtBuild("store.poolSize", "ten");
        assertTrue(number.contains("'ten'"), number);
        String size = refusedAtBuild("store.rejectionLogSize", "-1");
        assertTrue(size.contains("'-1'"), size);
        assertTrue(refusedAtBuild("store.poolsize", "10").startsWith("unknown jdbc store setting 'store.poolsize'"));
    }

    @Test
    void h2FileUrlWithoutWriteDelay_getsWriteDelayZero() throws Exception {
        Path dir = Files.createTempDirectory("muster-provider");
        String url = "jdbc:h2:file:" + dir.resolve("muster");
        JdbcStore.open(Map.of("url", url)).close();
        assertEquals("0", writeDelay(url), "commits are written to the file before they return");
    }

    @Test
    void h2UrlThatSetsWriteDelay_keepsIt() throws Exception {
        Path dir = Files.createTempDirectory("muster-provider");
        String url = "jdbc:h2:file:" + dir.resolve("muster") + ";write_delay=250";
        JdbcStore.open(Map.of("url", url, "fsync", "false")).close();
        assertEquals("250", writeDelay("jdbc:h2:file:" + dir.resolve("muster")));
    }

    @Test
    void fsyncSetting_isCheckedAndRefusedForPostgres() {
        assertTrue(assertThrows(ConfigurationException.class,
                () -> JdbcStore.open(Map.of("url", TestDatabases.newH2(), "fsync", "yes")))
                .getMessage().contains("store.fsync must be true or false"));
        assertTrue(assertThrows(ConfigurationException.class,
                () -> JdbcStore.open(Map.of("url", "jdbc:postgresql://127.0.0.1:1/x", "fsync", "true")))
                .getMessage().contains("SQLite and H2 only"));
    }

    @Test
    void sqliteFile_isCreatedWithItsDirectory_inWalMode(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("not").resolve("yet").resolve("muster.db");
        JdbcStore.open(Map.of("url", "jdbc:sqlite:" + file)).close();
        assertTrue(Files.isRegularFile(file), "the database file and its directories were created");
        // The journal mode is kept in the file: every later connection to it uses the log too.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("pragma journal_mode")) {
            assertTrue(rs.next());
            assertEquals("wal", rs.getString(1));
        }
    }

    @Test
    void sqliteFile_servesOneStoreAtATime(@TempDir Path dir) throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("muster.db");
        Path lockFile = dir.resolve("muster.db.lock");
        try (Store first = JdbcStore.open(Map.of("url", url, "fsync", "false"))) {
            assertTrue(!LockProbe.freeForAnotherProcess(lockFile), "another process cannot take the file");
            String message = assertThrows(ConfigurationException.class,
                    () -> JdbcStore.open(Map.of("url", url))).getMessage();
            assertTrue(message.contains("in use by another store") && message.contains("muster.db.lock"), message);
            assertTrue(first.checkHealth().available(), "the first store is unharmed");
            // Refusing the second store must not drop the first one's lock (closing a second
            // channel on a locked file drops the process's lock on Linux).
            assertTrue(!LockProbe.freeForAnotherProcess(lockFile), "the first store still holds the file");
            // The same file by another name is the same file.
            Path link = Files.createSymbolicLink(dir.resolve("link.db"), dir.resolve("muster.db"));
            String viaLink = assertThrows(ConfigurationException.class,
                    () -> JdbcStore.open(Map.of("url", "jdbc:sqlite:" + link))).getMessage();
            assertTrue(viaLink.contains("in use by another store"), viaLink);
            Files.createDirectory(dir.resolve("x"));
            String viaDots = assertThrows(ConfigurationException.class,
                    () -> JdbcStore.open(Map.of("url", "jdbc:sqlite:" + dir.resolve("x").resolve("..")
                            .resolve("muster.db")))).getMessage();
            assertTrue(viaDots.contains("in use by another store"), viaDots);
        }
        assertTrue(LockProbe.freeForAnotherProcess(lockFile), "closing the store let the file go");
        // Closing the store lets the file go.
        JdbcStore.open(Map.of("url", url)).close();
    }

    @Test
    void thePlugin_isFoundByItsName_andOpensTheSameStore(@TempDir Path dir) {
        java.util.List<String> names = java.util.ServiceLoader.load(dev.muster.spi.store.StoreProvider.class).stream()
                .map(p -> p.get().name()).toList();
        assertTrue(names.contains("jdbc"), "providers found: " + names);
        dev.muster.spi.store.StoreProvider jdbc = java.util.ServiceLoader.load(dev.muster.spi.store.StoreProvider.class)
                .stream().map(java.util.ServiceLoader.Provider::get).filter(p -> p.name().equals("jdbc")).findFirst()
                .orElseThrow();
        try (Store s = jdbc.open(Map.of("url", "jdbc:sqlite:" + dir.resolve("muster.db")))) {
            assertTrue(s instanceof JdbcStore && s.checkHealth().available());
        }
    }

    @Test
    void sqliteInMemory_isRefused() {
        for (String url : new String[] {"jdbc:sqlite::memory:", "jdbc:sqlite:", "jdbc:sqlite:x.db?mode=memory",
                "jdbc:sqlite::resource:http://127.0.0.1:9/x.db", "jdbc:sqlite:file:/tmp/x/%6duster.db",
                "jdbc:sqlite:file://localhost/tmp/x/muster.db", "jdbc:sqlite:/"}) {
            String message = assertThrows(ConfigurationException.class,
                    () -> JdbcStore.open(Map.of("url", url)), url).getMessage();
            assertTrue(message.contains("must name a SQLite file"), url + ": " + message);
        }
    }

    @Test
    void aDatabaseThatTakesNoWrites_failsAtStart_notAtTheFirstCall(@TempDir Path dir) {
        String url = "jdbc:sqlite:" + dir.resolve("muster.db");
        JdbcStore.open(Map.of("url", url)).close();
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.setReadOnly(true);
        org.sqlite.SQLiteDataSource readOnly = new org.sqlite.SQLiteDataSource(config);
        readOnly.setUrl(url);
        String message = assertThrows(dev.muster.spi.StoreUnavailableException.class,
                () -> JdbcStore.open(readOnly)).getMessage();
        assertTrue(message.contains("takes no writes"), message);
    }

    @Test
    void sqliteUrlNamingADirectory_isRefusedWithWhatToDo(@TempDir Path dir) {
        String message = assertThrows(ConfigurationException.class,
                () -> JdbcStore.open(Map.of("url", "jdbc:sqlite:" + dir))).getMessage();
        assertTrue(message.contains("is a directory") && message.contains("muster.db"), message);
    }

    @Test
    void sqliteFileDeletedUnderARunningStore_refusesWrites_andIsNotReady(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("muster.db");
        try (Store store = JdbcStore.open(Map.of("url", "jdbc:sqlite:" + file))) {
            assertTrue(store.checkHealth().available());
            Files.delete(file);
            // Commits would go to a file that no restart finds: not acknowledged, and not ready.
            assertThrows(dev.muster.spi.StoreUnavailableException.class,
                    () -> store.touch(new dev.muster.spi.WorkerId("0".repeat(32)), java.time.Instant.now()));
            assertTrue(!store.checkHealth().available(), "readiness reports the store unavailable");
        }
    }

    private static String writeDelay(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(
                     "select setting_value from information_schema.settings where setting_name = 'WRITE_DELAY'")) {
            assertTrue(rs.next(), "H2 reports its WRITE_DELAY");
            return rs.getString(1);
        }
    }
}
