package dev.muster.store.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Keys;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import dev.muster.spi.policy.KeyTrust;
import dev.muster.spi.store.Store;
import dev.muster.spi.testkit.AcceptAllValidator;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the open pool keeps in the store (standings of keys, the ticket-signing key and other
 * shared secrets) outlives the store that wrote it, and coordinators on one PostgreSQL database
 * see one and the same.
 */
class OpenPoolStoreTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dir;

    private String url(String database) {
        return switch (database) {
            case "sqlite" -> "jdbc:sqlite:" + dir.resolve("muster.db");
            case "h2" -> "jdbc:h2:file:" + dir.resolve("muster") + ";LOCK_TIMEOUT=10000";
            default -> TestDatabases.newPostgres();
        };
    }

    private static WorkerId worker(Store store, int n) {
        WorkerId id = new WorkerId(String.format("%032x", n));
        store.saveWorker(new Worker(id, Keys.generate().getPublic(), "owner-" + n, Capabilities.of(2, 1024), "b", 4,
                WorkerState.ACTIVE, T0, T0));
        return id;
    }

    private static PublicKey ticketKey(Store store) {
        Coordinator c = Coordinator.builder().store(store).validator(new AcceptAllValidator("t"))
                .trustPolicy("credibility", Map.of()).housekeepingInterval(Duration.ZERO).build();
        c.start();
        try {
            return c.ticketSigningKey().orElseThrow();
        } finally {
            c.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "h2", "postgresql"})
    void standingsAndTheTicketKey_surviveARestart(String database) {
        String url = url(database);
        WorkerId trusted;
        WorkerId banned;
        PublicKey key;
        try (JdbcStore store = JdbcStore.open(Map.of("url", url))) {
            trusted = worker(store, 1);
            banned = worker(store, 2);
            for (int i = 0; i < 3; i++) {
                store.updateTrust(trusted, t -> t.pass(T0));
            }
            store.updateTrust(trusted, t -> t.strike(T0).pass(T0));
            store.updateTrust(banned, t -> t.ban("failed a spot-check", T0));
            key = ticketKey(store);
        }
        try (JdbcStore store = JdbcStore.open(Map.of("url", url))) {
            KeyTrust t = store.trust(trusted);
            assertEquals(1, t.passed());
            assertEquals(1, t.strikes());
            KeyTrust b = store.trust(banned);
            assertTrue(b.banned());
            assertEquals("failed a spot-check", b.banReason());
            assertEquals(WorkerState.BANNED, store.worker(banned).orElseThrow().state());
            assertEquals(List.of(banned), store.keysToBacktrack(10).stream().map(KeyTrust::worker).toList());
            assertEquals(key, ticketKey(store), "the ticket-signing key workers pinned is the same after a restart");
        }
    }

    @Test
    void twoStoresOnOnePostgresDatabase_shareStandingsAndSecrets_andLoseNoConcurrentStrike() throws Exception {
        String url = TestDatabases.newPostgres();
        try (JdbcStore a = JdbcStore.open(Map.of("url", url)); JdbcStore b = JdbcStore.open(Map.of("url", url))) {
            WorkerId w = worker(a, 1);
            int perStore = 25;
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<KeyTrust>> strikes = new ArrayList<>();
                for (int i = 0; i < perStore; i++) {
                    strikes.add(pool.submit(() -> a.updateTrust(w, t -> t.strike(T0))));
                    strikes.add(pool.submit(() -> b.updateTrust(w, t -> t.strike(T0))));
                }
                for (Future<KeyTrust> f : strikes) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(2 * perStore, b.trust(w).strikes(), "no strike lost between two coordinators");
            a.updateTrust(w, t -> t.ban("lost disputes", T0));
            assertTrue(b.trust(w).banned());
            assertEquals(WorkerState.BANNED, b.worker(w).orElseThrow().state());
            assertArrayEquals(a.sharedSecret("pool", new byte[] {1}), b.sharedSecret("pool", new byte[] {2}));
            assertEquals(ticketKey(a), ticketKey(b), "both coordinators sign with the key workers pin");
        }
    }
}
