package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Coordinators on one store agree on their ticket-signing key and challenge secret by themselves. */
class PoolSecretsTest {
    private static CoordinatorBuilder on(MemoryStore store) {
        return Coordinator.builder().store(store).trustPolicy(new QuorumPolicy(2, 2, 4, true))
                .validator(new EchoValidator()).housekeepingInterval(Duration.ZERO);
    }

    private static PublicKey keyOf(Coordinator c) {
        return c.ticketSigningKey().orElseThrow();
    }

    @Test
    void twoCoordinatorsOnOneStore_signWithOneKey_andAcceptEachOthersChallenges() {
        MemoryStore store = new MemoryStore();
        Coordinator a = on(store).build();
        Coordinator b = on(store).build();
        a.start();
        b.start();
        try {
            assertEquals(keyOf(a), keyOf(b));
            SigningWorker w = new SigningWorker(a, "alice");
            // A registration answering A's challenge is accepted by B.
            b.register(w.registration(Capabilities.of(4, 4096), "build-1", 10));
            assertEquals(w.id(), b.worker(w.id()).orElseThrow().id());
        } finally {
            a.stop();
            b.stop();
        }
        Coordinator other = on(new MemoryStore()).build();
        other.start();
        try {
            assertNotEquals(keyOf(a), keyOf(other), "another pool, another key");
        } finally {
            other.stop();
        }
    }

    @Test
    void aKeySetOrAKeyFile_takesPrecedenceOverTheStore(@TempDir Path dir) {
        MemoryStore store = new MemoryStore();
        KeyPair own = Keys.generate();
        Coordinator explicit = on(store).signingKey(own).build();
        Coordinator fromFile = on(store).signingKeyFile(dir.resolve("key.pem")).build();
        Coordinator fromStore = on(store).build();
        for (Coordinator c : new Coordinator[] {explicit, fromFile, fromStore}) {
            c.start();
        }
        try {
            assertEquals(own.getPublic(), keyOf(explicit));
            assertNotEquals(keyOf(fromStore), keyOf(fromFile));
            assertNotEquals(keyOf(fromStore), keyOf(explicit));
        } finally {
            explicit.stop();
            fromFile.stop();
            fromStore.stop();
        }
    }
}
