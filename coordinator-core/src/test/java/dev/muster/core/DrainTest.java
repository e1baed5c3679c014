package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.JobSpec;
import dev.muster.spi.UnknownWorkerException;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An admin's drain against a worker's own leaving. */
class DrainTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private Coordinator c;

    @BeforeEach
    void start() {
        c = Coordinator.builder().clock(clock).store(new MemoryStore()).trustPolicy(new QuorumPolicy(1, 1, 1, false))
                .validator(new EchoValidator()).housekeepingInterval(Duration.ZERO)
                .heartbeatInterval(Duration.ofSeconds(30)).offlineAfter(Duration.ofSeconds(90)).build();
        c.start();
        for (int i = 0; i < 5; i++) {
            c.submit(List.of(JobSpec.builder("echo", ("payload " + i).getBytes(StandardCharsets.UTF_8)).seed(i)
                    .build()));
        }
    }

    @AfterEach
    void stop() {
        c.stop();
    }

    private SigningWorker worker(String owner) {
        return SigningWorker.registered(c, owner);
    }

    private WorkerState state(SigningWorker w) {
        return c.worker(w.id()).orElseThrow().state();
    }

    @Test
    void adminDrain_outlastsReRegistering_untilAnAdminResumes() {
        SigningWorker w = worker("alice");
        c.drain(w.id());
        assertEquals(WorkerState.DRAINING, w.register().state());
        assertEquals(WorkerState.DRAINING, state(w));
        assertTrue(w.lease(1).tickets().isEmpty());
        w.api().heartbeat(w.id());
        assertEquals(WorkerState.DRAINING, state(w));
        assertEquals(WorkerState.ACTIVE, c.resume(w.id()).state());
        assertEquals(1, w.lease(1).tickets().size());
    }

    @Test
    void workerLeaving_isLiftedByRegisteringAgain() {
        SigningWorker w = worker("alice");
        c.leave(w.id());
        assertEquals(WorkerState.LEAVING, state(w));
        assertTrue(w.lease(1).tickets().isEmpty(), "a leaving worker gets no new work");
        assertEquals(WorkerState.ACTIVE, w.register().state());
        assertEquals(1, w.lease(1).tickets().size());
    }

    @Test
    void workerLeaving_cannotTurnAnAdminsDrainIntoSomethingRegisteringLifts() {
        SigningWorker w = worker("alice");
        c.drain(w.id());
        c.leave(w.id());
        assertEquals(WorkerState.DRAINING, state(w));
        w.register();
        assertEquals(WorkerState.DRAINING, state(w));
        assertTrue(w.lease(1).tickets().isEmpty());
    }

    @Test
    void drainedWorker_goingSilent_staysDrained_butItsLeasesReturnToTheQueue() {
        SigningWorker w = worker("alice");
        assertEquals(2, w.lease(2).tickets().size());
        c.drain(w.id());
        clock.advance(Duration.ofSeconds(91));
        c.runHousekeeping();
        assertEquals(WorkerState.DRAINING, state(w));
        assertEquals(0, c.summary().activeLeases(), "a silent drained worker's leases came back");
        c.runHousekeeping();
        w.register();
        assertEquals(WorkerState.DRAINING, state(w), "coming back after silence does not end the drain either");
        assertEquals(5, worker("bob").lease(10).tickets().size());
    }

    @Test
    void leavingWorker_goingSilent_isOffline_andASignOfLifeMakesItActive() {
        SigningWorker w = worker("alice");
        assertEquals(1, w.lease(1).tickets().size());
        c.leave(w.id());
        clock.advance(Duration.ofSeconds(91));
        c.runHousekeeping();
        assertEquals(WorkerState.OFFLINE, state(w));
        assertEquals(0, c.summary().activeLeases());
        w.api().heartbeat(w.id());
        assertEquals(WorkerState.ACTIVE, state(w));
    }

    @Test
    void resume_leavesWorkersThatAreNotDrainedAsTheyAre() {
        SigningWorker active = worker("alice");
        SigningWorker banned = worker("mallory");
        c.ban(banned.id(), "cheating");
        assertEquals(WorkerState.ACTIVE, c.resume(active.id()).state());
        assertEquals(WorkerState.BANNED, c.resume(banned.id()).state());
        assertEquals(WorkerState.BANNED, state(banned));
        assertThrows(UnknownWorkerException.class, () -> c.resume(new WorkerId("0123456789abcdef0123456789abcdef")));
    }
}
