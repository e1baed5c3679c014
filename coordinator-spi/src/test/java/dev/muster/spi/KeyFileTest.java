package dev.muster.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
    @Test
    void createsOnce_thenLoadsTheSamePair_ownerReadableOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys/coordinator-key.pem");
        KeyPair created = Keys.loadOrCreate(file);
        KeyPair loaded = Keys.loadOrCreate(file);
        assertEquals(created.getPublic(), loaded.getPublic());
        assertArrayEquals(created.getPrivate().getEncoded(), loaded.getPrivate().getEncoded());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var left = Files.list(file.getParent())) {
            assertEquals(List.of(file), left.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void processesCreatingItAtOnce_endUpWithOneKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("coordinator-key.pem");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Callable<KeyPair> create = () -> Keys.loadOrCreate(file);
            List<Future<KeyPair>> all = pool.invokeAll(List.of(create, create, create, create));
            for (Future<KeyPair> f : all) {
                assertEquals(Keys.loadOrCreate(file).getPublic(), f.get().getPublic());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFileWhosePublicKeyIsNotItsPrivateKeys_isRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mixed.pem");
        Files.writeString(file, Keys.toPem(Keys.generate().getPrivate()) + Keys.toPem(Keys.generate().getPublic()));
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Keys.loadOrCreate(file));
        assertTrue(e.getMessage().contains("does not belong to its private key"), e.getMessage());
        Files.writeString(file, "not a key");
        assertThrows(InvalidRequestException.class, () -> Keys.loadOrCreate(file));
    }
}
