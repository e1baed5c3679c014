package dev.muster.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which store the standalone coordinator picks in its data directory. */
class StandaloneCoordinatorTest {
    @Test
    void aFreshDataDirectory_getsSqlite(@TempDir Path data) {
        assertEquals("jdbc:sqlite:" + data.resolve("muster.db"), StandaloneCoordinator.defaultStoreUrl(data));
    }

    @Test
    void anH2StoreFromAnEarlierVersion_isKept_soItsJobsAndCreditAreNotHidden(@TempDir Path data) throws Exception {
        Files.createFile(data.resolve("muster.mv.db"));
        assertEquals("jdbc:h2:file:" + data.resolve("muster"), StandaloneCoordinator.defaultStoreUrl(data));
    }

    @Test
    void aDataPathWithAQuestionMark_isRefused_notOpenedAsAnotherFile(@TempDir Path data) {
        String message = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> StandaloneCoordinator.defaultStoreUrl(data.resolve("my?data"))).getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(message.contains("--data must not contain '?'"), message);
    }

    @Test
    void sqliteWins_onceItExistsBesideAnOldH2File(@TempDir Path data) throws Exception {
        Files.createFile(data.resolve("muster.mv.db"));
        Files.createFile(data.resolve("muster.db"));
        assertEquals("jdbc:sqlite:" + data.resolve("muster.db"), StandaloneCoordinator.defaultStoreUrl(data));
    }
}
