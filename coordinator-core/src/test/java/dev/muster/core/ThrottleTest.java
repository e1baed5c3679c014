package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.ConfigurationException;
import dev.muster.spi.JobSpec;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThrottleTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-04-01T00:00:00Z"));
    private Coordinator coordinator;

    private void start(double workerRate, double ownerRate) {
        coordinator = Coordinator.builder().clock(clock).store(new MemoryStore())
                .trustPolicy(new QuorumPolicy(1, 1, 1, false)).validator(new EchoValidator())
                .housekeepingInterval(Duration.ZERO).workerLeaseRate(workerRate).ownerLeaseRate(ownerRate).build();
        coordinator.start();
        List<JobSpec> specs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            specs.add(JobSpec.builder("echo", new byte[] {(byte) i}).seed(i).build());
        }
        coordinator.submit(specs);
    }

    @AfterEach
    void stop() {
        if (coordinator != null) {
            coordinator.stop();
        }
    }

    private SigningWorker worker(String owner) {
        return SigningWorker.registered(coordinator, owner);
    }

    @Test
    void workerLeaseRate_limitsEachWorker_andRefillsWithTime() {
        start(10, 0);
        SigningWorker a = worker("alice");
        SigningWorker b = worker("alice");
        assertEquals(10, a.lease(50).tickets().size());
        assertEquals(0, a.lease(50).tickets().size());
        assertEquals(10, b.lease(50).tickets().size(), "each worker has its own budget");
        clock.advance(Duration.ofMillis(500));
        assertEquals(5, a.lease(50).tickets().size());
        clock.advance(Duration.ofSeconds(60));
        assertEquals(10, a.lease(50).tickets().size(), "an idle worker saves up one second's worth, no more");
    }

    @Test
    void ownerLeaseRate_isSharedByTheOwnersWorkers() {
        start(0, 12);
        SigningWorker a = worker("alice");
        SigningWorker b = worker("alice");
        SigningWorker c = worker("carol");
        assertEquals(8, a.lease(8).tickets().size());
        assertEquals(4, b.lease(8).tickets().size());
        assertEquals(0, a.lease(8).tickets().size());
        assertEquals(8, c.lease(8).tickets().size());
    }

    @Test
    void unusedAllowance_isGivenBack_whenTheQueueHasLessThanAllowed() {
        start(100, 0);
        SigningWorker a = worker("alice");
        for (int round = 0; round < 2; round++) {
            List<dev.muster.spi.Ticket> got = a.lease(100).tickets();
            assertEquals(100, got.size());
            a.report(got.stream().map(t -> SigningWorker.answer(t, "done")).toList());
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(0, a.lease(100).tickets().size(), "queue is empty");
        coordinator.submit(List.of(JobSpec.builder("echo", new byte[] {1, 2}).seed(999).build()));
        assertEquals(1, a.lease(100).tickets().size(), "the empty lease did not spend the budget");
    }

    @Test
    void rates_belowOneOrNegative_areRefused() {
        assertThrows(ConfigurationException.class, () -> Coordinator.builder().trustPolicy(new QuorumPolicy(1, 1, 1, false))
                .validator(new EchoValidator()).store(new MemoryStore()).workerLeaseRate(0.5).build());
        assertThrows(ConfigurationException.class, () -> Coordinator.builder()
                .configure(Map.of("owner.leaseRate", "-3", "trust", "quorum", "validators", "echo")).build());
        coordinator = Coordinator.builder().trustPolicy(new QuorumPolicy(1, 1, 1, false)).validator(new EchoValidator())
                .store(new MemoryStore()).build();
    }

    @Test
    void throttle_forgetsIdleWorkers_soManyDistinctWorkersStayBounded() {
        coordinator = null;
        Throttle throttle = new Throttle(5, clock);
        long most = 0;
        // One new worker a millisecond for 100 seconds: only those of the last second may be held.
        for (int i = 0; i < 100_000; i++) {
            assertEquals(5, throttle.take("worker-" + i, 50, clock.instant()), "a new worker starts with a full bucket");
            most = Math.max(most, throttle.keys());
            clock.advance(Duration.ofMillis(1));
        }
        assertTrue(most <= 1_001, "at most the workers of the last second are held, but " + most + " were");
        assertTrue(most >= 1_000, "workers active within the second are kept, so their budgets hold: " + most);
    }

    @Test
    void throttle_keepsABudgetUntilItHasRefilled_andAForgottenOneStartsFull() {
        coordinator = null;
        Throttle throttle = new Throttle(10, clock);
        assertEquals(10, throttle.take("a", 10, clock.instant()));
        for (int i = 0; i < 900; i++) {
            clock.advance(Duration.ofMillis(1));
            throttle.take("other-" + i, 1, clock.instant());
        }
        assertEquals(9, throttle.take("a", 50, clock.instant()), "0.9 s refilled 9 of 10: the budget was kept");
        clock.advance(Duration.ofSeconds(5));
        throttle.take("b", 1, clock.instant());
        assertEquals(1, throttle.keys(), "everyone idle for a second was forgotten");
        assertEquals(10, throttle.take("a", 50, clock.instant()), "forgotten is full, as a budget idle this long is");
    }

    @Test
    void coordinator_holdsLeaseBudgetsOnlyForWorkersThatLeasedWithinASecond() {
        start(5, 0);
        long most = 0;
        // One job each for the 200 queued; a new worker every 20 ms.
        for (int i = 0; i < 200; i++) {
            SigningWorker w = worker("owner-" + i);
            assertEquals(1, w.lease(1).tickets().size(), "worker " + i + " got a job");
            most = Math.max(most, coordinator.activity().throttledWorkers());
            clock.advance(Duration.ofMillis(20));
        }
        assertTrue(most <= 51, "workers of the last second are held (at most 51), but " + most + " were");
        assertTrue(most >= 50, "workers of the last second keep their budgets: " + most);
    }
}
