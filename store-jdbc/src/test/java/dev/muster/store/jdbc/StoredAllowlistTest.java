package dev.muster.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.core.policy.AllowlistPolicy;
import dev.muster.spi.ConfigurationException;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Keys;
import dev.muster.spi.RegistrationRefusedException;
import dev.muster.spi.WorkerId;
import dev.muster.spi.testkit.SigningWorker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trusted pool's allowlist lives in the store: it survives a restart and coordinators on one database share it. */
class StoredAllowlistTest {
    private static Coordinator trusted(String url, List<java.security.PublicKey> keys) {
        // Opened by name, so the coordinator owns the store and closes it (and its SQLite lock) when it stops.
        Coordinator c = Coordinator.builder().store("jdbc", Map.of("url", url))
                .trustPolicy(new AllowlistPolicy(keys)).validator(new dev.muster.spi.Validator() {
                    @Override
                    public String jobType() {
                        return "echo";
                    }

                    @Override
                    public dev.muster.spi.Verdict validate(dev.muster.spi.Job job, dev.muster.spi.ResultReport r) {
                        return dev.muster.spi.Verdict.ok();
                    }
                }).housekeepingInterval(Duration.ZERO).build();
        c.start();
        return c;
    }

    @Test
    void keysAddedWhileThePoolRuns_surviveARestart_andRemovedOnesStayRemoved() {
        String url = TestDatabases.newSqlite();
        KeyPair configured = Keys.generate();
        KeyPair added = Keys.generate();
        KeyPair removed = Keys.generate();
        try (Coordinator first = trusted(url, List.of(configured.getPublic()))) {
            assertTrue(first.allow(added.getPublic()));
            assertFalse(first.allow(added.getPublic()), "listed already");
            assertTrue(first.allow(removed.getPublic()));
            assertTrue(first.revoke(WorkerId.of(removed.getPublic())));
            InvalidRequestException fromSettings = assertThrows(InvalidRequestException.class,
                    () -> first.revoke(WorkerId.of(configured.getPublic())));
            assertTrue(fromSettings.getMessage().contains("remove it there"), fromSettings.getMessage());
        }
        try (Coordinator second = trusted(url, List.of())) {
            assertEquals(WorkerId.of(added.getPublic()), new SigningWorker(second, "bob", added).register().id(),
                    "the key added over the API before the restart registers");
            assertEquals(WorkerId.of(configured.getPublic()), new SigningWorker(second, "dave", configured).register()
                    .id(), "the key the first coordinator's settings listed stays in the store");
            assertThrows(RegistrationRefusedException.class, () -> new SigningWorker(second, "carol", removed)
                    .register(), "the key removed before the restart stays out");
        }
    }

    @Test
    void coordinatorsOnOneDatabase_shareTheList() {
        String url = TestDatabases.newPostgres();
        KeyPair key = Keys.generate();
        try (Coordinator a = trusted(url, List.of()); Coordinator b = trusted(url, List.of())) {
            assertThrows(RegistrationRefusedException.class, () -> new SigningWorker(b, "alice", key).register());
            assertTrue(a.allow(key.getPublic()));
            assertEquals(WorkerId.of(key.getPublic()), new SigningWorker(b, "alice", key).register().id());
            assertTrue(b.revoke(WorkerId.of(key.getPublic())));
            assertFalse(a.revoke(WorkerId.of(key.getPublic())), "already removed by the other coordinator");
        }
    }

    @Test
    void aKeysFileHoldingAPrivateKey_isRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("workers.pem");
        KeyPair key = Keys.generate();
        Files.writeString(file, Keys.toPem(key.getPublic()) + Keys.toPem(key.getPrivate()));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new dev.muster.core.internal.AllowlistPolicyProvider().create(Map.of("keysFile", file.toString())));
        assertTrue(e.getMessage().contains("holds a private key"), e.getMessage());
    }
}
