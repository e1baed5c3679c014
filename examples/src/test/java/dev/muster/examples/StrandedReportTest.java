package dev.muster.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.examples.cardgame.CardGameHandler;
import dev.muster.spi.Capabilities;
import dev.muster.spi.JobHandler;
import dev.muster.spi.Keys;
import dev.muster.worker.WorkerClient;
import dev.muster.worker.WorkerLoop;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator killed (SIGKILL) while two workers hold results for every replica of a batch of
 * jobs: the jobs keep the default 10-minute lease, and are accepted within seconds of the
 * restart because the workers report the results they held again, not at the lease deadline.
 */
class StrandedReportTest {
    private static final int JOBS = 5;

    @Test
    void resultsHeldAcrossACoordinatorKill_areAcceptedSecondsAfterTheRestart_withTheDefaultLease(@TempDir Path dir)
            throws Exception {
        try (CoordinatorProcess coordinator = new CoordinatorProcess(dir, List.of())) {
            coordinator.start();
            List<String> ids = submit(coordinator);

            // Both workers have leased their replicas and run them before the kill; their reports fail.
            CountDownLatch bothRan = new CountDownLatch(2);
            AtomicBoolean killed = new AtomicBoolean();
            Set<Instant> deadlines = ConcurrentHashMap.newKeySet();
            List<WorkerLoop> loops = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                WorkerClient client = new WorkerClient(coordinator.base(), Keys.generate());
                client.register("volunteer-" + i, Capabilities.of(2, 1024), "stranded-test", JOBS);
                JobHandler games = new CardGameHandler();
                AtomicBoolean first = new AtomicBoolean(true);
                JobHandler killOnce = t -> {
                    deadlines.add(t.deadline());
                    if (first.getAndSet(false)) {
                        bothRan.countDown();
                        await(bothRan);
                        if (killed.compareAndSet(false, true)) {
                            coordinator.kill();
                        }
                    }
                    return games.run(t);
                };
                WorkerLoop loop = new WorkerLoop(client, killOnce, JOBS, Duration.ofMillis(200), Duration.ofSeconds(1));
                Thread t = new Thread(loop, "worker-" + i);
                t.setDaemon(true);
                loops.add(loop);
                threads.add(t);
                t.start();
            }
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!(killed.get() && loops.stream().allMatch(l -> l.undelivered() == JOBS && l.failures() > 0))) {
                    assertTrue(System.nanoTime() < deadline, "both workers hold their undelivered results");
                    CoordinatorProcess.pause(20);
                }

                coordinator.start();
                Instant restarted = Instant.now();
                for (Instant d : deadlines) {
                    assertTrue(Duration.between(restarted, d).compareTo(Duration.ofMinutes(9)) > 0,
                            "the leases run to the default 10-minute deadline, " + d);
                }
                long acceptDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (acceptedOf(coordinator, ids) < JOBS) {
                    assertTrue(System.nanoTime() < acceptDeadline, "jobs accepted after the restart");
                    CoordinatorProcess.pause(20);
                }
                Duration took = Duration.between(restarted, Instant.now());
                System.out.println("stranded jobs accepted " + took.toMillis() + " ms after the coordinator restarted");
                assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "accepted " + took + " after the restart");
                for (String id : ids) {
                    assertEquals(0, coordinator.get("jobs/" + id).get("attempts").asInt(), "no lease expired");
                }
            } finally {
                loops.forEach(WorkerLoop::stop);
                threads.forEach(Thread::interrupt);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other worker never ran its replica");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The games, with the default timeout: a 10-minute lease. */
    private static List<String> submit(CoordinatorProcess coordinator) throws Exception {
        return coordinator.submitGames(JOBS);
    }

    private static int acceptedOf(CoordinatorProcess coordinator, List<String> ids) throws Exception {
        int accepted = 0;
        for (String id : ids) {
            if (coordinator.get("jobs/" + id).get("state").asText().equals("ACCEPTED")) {
                accepted++;
            }
        }
        return accepted;
    }
}
