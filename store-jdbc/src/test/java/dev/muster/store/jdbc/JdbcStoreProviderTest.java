package dev.muster.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The settings the provider adds to an H2 URL so that an acknowledged call survives a killed process. */
class JdbcStoreProviderTest {

    @Test
    void h2FileUrlWithoutWriteDelay_getsWriteDelayZero() throws Exception {
        Path dir = Files.createTempDirectory("muster-provider");
        String url = "jdbc:h2:file:" + dir.resolve("muster");
        new JdbcStoreProvider().open(Map.of("url", url)).close();
        assertEquals("0", writeDelay(url), "commits are written to the file before they return");
    }

    @Test
    void h2UrlThatSetsWriteDelay_keepsIt() throws Exception {
        Path dir = Files.createTempDirectory("muster-provider");
        String url = "jdbc:h2:file:" + dir.resolve("muster") + ";write_delay=250";
        new JdbcStoreProvider().open(Map.of("url", url, "fsync", "false")).close();
        assertEquals("250", writeDelay("jdbc:h2:file:" + dir.resolve("muster")));
    }

    @Test
    void fsyncSetting_isCheckedAndRefusedForPostgres() {
        assertTrue(assertThrows(ConfigurationException.class,
                () -> new JdbcStoreProvider().open(Map.of("url", TestDatabases.newH2(), "fsync", "yes")))
                .getMessage().contains("store.fsync must be true or false"));
        assertTrue(assertThrows(ConfigurationException.class,
                () -> new JdbcStoreProvider().open(Map.of("url", "jdbc:postgresql://127.0.0.1:1/x", "fsync", "true")))
                .getMessage().contains("H2 only"));
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
