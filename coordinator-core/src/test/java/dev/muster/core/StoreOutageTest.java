package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.policy.AllowlistPolicy;
import dev.muster.spi.Job;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Readiness;
import dev.muster.spi.StoreUnavailableException;
import dev.muster.spi.WorkerState;
import dev.muster.spi.store.Store;
import dev.muster.spi.store.StoreHealth;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Housekeeping and readiness around a store that fails: workers get {@code offlineAfter} from the
 * coordinator's start or the store's return before they count as silent, and readiness follows
 * the store without asking it more than about once a second.
 */
class StoreOutageTest {
    private static final Duration HEARTBEAT = Duration.ofSeconds(30);
    private static final Duration OFFLINE_AFTER = Duration.ofSeconds(90);

    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final AllowlistPolicy allowlist = new AllowlistPolicy(List.of());
    private final MemoryStore memory = new MemoryStore();
    private final FlakyStore flaky = new FlakyStore(memory);
    private Coordinator coordinator;

    /** A memory store that can be switched off: then every call throws and its health says so. */
    static final class FlakyStore {
        volatile boolean down;
        final AtomicLong outages = new AtomicLong();
        final AtomicInteger healthChecks = new AtomicInteger();
        final Store store;

        FlakyStore(Store target) {
            store = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("checkHealth")) {
                            healthChecks.incrementAndGet();
                            return down ? new StoreHealth(false, "the store's database is unavailable", outages.get())
                                    : new StoreHealth(true, null, outages.get());
                        }
                        if (down && !method.getName().equals("close")) {
                            throw new StoreUnavailableException("the store's database is unavailable", null);
                        }
                        try {
                            return method.invoke(target, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        void fail() {
            outages.incrementAndGet();
            down = true;
        }

        void recover() {
            down = false;
        }
    }

    private Coordinator coordinator() {
        Coordinator c = Coordinator.builder().clock(clock).store(flaky.store).trustPolicy(allowlist)
                .validator(new EchoValidator()).housekeepingInterval(Duration.ZERO)
                .heartbeatInterval(HEARTBEAT).offlineAfter(OFFLINE_AFTER).build();
        c.start();
        return c;
    }

    @AfterEach
    void stop() {
        if (coordinator != null) {
            coordinator.stop();
        }
    }

    private SigningWorker worker(String owner) {
        SigningWorker w = new SigningWorker(coordinator, owner);
        allowlist.allow(w.keys().getPublic());
        w.register();
        return w;
    }

    private Job leasedJob(SigningWorker w) {
        Job job = coordinator.submit(List.of(JobSpec.builder("echo", "p".getBytes(StandardCharsets.UTF_8)).seed(1)
                .timeout(Duration.ofHours(2)).build())).get(0);
        assertEquals(1, w.lease(1).tickets().size());
        return job;
    }

    private WorkerState state(SigningWorker w) {
        return coordinator.worker(w.id()).orElseThrow().state();
    }

    @Test
    void housekeeping_afterARestart_givesEveryWorkerOfflineAfterFromTheStart() {
        coordinator = coordinator();
        SigningWorker silent = worker("alice");
        SigningWorker back = worker("bob");
        Job job = leasedJob(silent);
        coordinator.stop();

        // Down for ten minutes: every worker's last sign of life is far older than offlineAfter.
        clock.advance(Duration.ofMinutes(10));
        coordinator = coordinator();
        back = new SigningWorker(coordinator, "bob", back.keys());
        coordinator.runHousekeeping();
        assertEquals(WorkerState.ACTIVE, state(silent), "silence before the start does not count");
        assertEquals(JobState.RUNNING, coordinator.job(job.id()).orElseThrow().state());

        clock.advance(HEARTBEAT.plusSeconds(1));
        back.api().heartbeat(back.id());
        coordinator.runHousekeeping();
        assertEquals(WorkerState.DEGRADED, state(silent), "one heartbeat interval after the start");
        assertEquals(WorkerState.ACTIVE, state(back));

        clock.advance(OFFLINE_AFTER.minus(HEARTBEAT).minusSeconds(2));
        coordinator.runHousekeeping();
        assertEquals(WorkerState.DEGRADED, state(silent), "offlineAfter has not passed since the start");
        assertEquals(JobState.RUNNING, coordinator.job(job.id()).orElseThrow().state());

        clock.advance(Duration.ofSeconds(2));
        back.api().heartbeat(back.id());
        coordinator.runHousekeeping();
        assertEquals(WorkerState.OFFLINE, state(silent), "offlineAfter after the start, a silent worker is offline");
        assertEquals(JobState.QUEUED, coordinator.job(job.id()).orElseThrow().state());
        assertEquals(WorkerState.ACTIVE, state(back));
    }

    @Test
    void housekeeping_afterAStoreOutage_measuresSilenceFromTheStoresReturn() {
        coordinator = coordinator();
        SigningWorker w = worker("alice");
        Job job = leasedJob(w);

        clock.advance(Duration.ofSeconds(60));
        flaky.fail();
        coordinator.runHousekeeping();
        assertThrows(StoreUnavailableException.class, () -> w.api().heartbeat(w.id()), "the worker cannot reach it");
        clock.advance(Duration.ofMinutes(5));
        coordinator.runHousekeeping();
        flaky.recover();
        Instant back = clock.instant();
        coordinator.runHousekeeping();
        assertEquals(WorkerState.ACTIVE, state(w), "silent for six minutes, but the store was away");

        clock.advance(OFFLINE_AFTER.minusSeconds(1));
        coordinator.runHousekeeping();
        assertEquals(WorkerState.DEGRADED, state(w));
        assertEquals(JobState.RUNNING, coordinator.job(job.id()).orElseThrow().state());

        clock.advance(Duration.ofSeconds(2));
        coordinator.runHousekeeping();
        assertEquals(WorkerState.OFFLINE, state(w), "offlineAfter after the store came back at " + back);
        assertEquals(JobState.QUEUED, coordinator.job(job.id()).orElseThrow().state());
    }

    @Test
    void housekeeping_afterAnOutageItDidNotSee_stillGivesWorkersTheirTime() {
        coordinator = coordinator();
        SigningWorker w = worker("alice");
        coordinator.runHousekeeping();
        // The outage begins and ends between two rounds; the store's outage count tells.
        clock.advance(Duration.ofMinutes(3));
        flaky.fail();
        flaky.recover();
        coordinator.runHousekeeping();
        assertEquals(WorkerState.ACTIVE, state(w));

        clock.advance(OFFLINE_AFTER.plusSeconds(1));
        coordinator.runHousekeeping();
        assertEquals(WorkerState.OFFLINE, state(w));
    }

    @Test
    void housekeeping_withoutOutage_takesSilentWorkersOfflineAsBefore() {
        coordinator = coordinator();
        SigningWorker w = worker("alice");
        clock.advance(OFFLINE_AFTER.plusSeconds(1));
        coordinator.runHousekeeping();
        assertEquals(WorkerState.OFFLINE, state(w));
    }

    @Test
    void readiness_followsTheStore_andNamesNoInternals() {
        coordinator = coordinator();
        assertEquals(Readiness.READY, coordinator.readiness());

        flaky.fail();
        coordinator.runHousekeeping();
        Readiness down = coordinator.readiness();
        assertFalse(down.ready());
        assertEquals("the store's database is unavailable", down.reason());

        flaky.recover();
        coordinator.runHousekeeping();
        assertTrue(coordinator.readiness().ready());
        assertNull(coordinator.readiness().reason());

        coordinator.stop();
        Readiness stopped = coordinator.readiness();
        assertFalse(stopped.ready());
        assertEquals("the coordinator is stopped", stopped.reason());
    }

    @Test
    void readiness_asksTheStoreAtMostAboutOnceASecond() {
        coordinator = coordinator();
        long start = System.nanoTime();
        for (int i = 0; i < 5_000; i++) {
            assertTrue(coordinator.readiness().ready());
        }
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        int checks = flaky.healthChecks.get();
        System.out.println("5000 readiness calls in " + seconds + " s asked the store " + checks + " times");
        assertTrue(checks >= 1 && checks <= seconds + 2, "asked the store " + checks + " times in " + seconds + " s");
    }
}
