package dev.muster.transport.http;

import dev.muster.worker.WorkerLoop;
import dev.muster.worker.WorkerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Job;
import dev.muster.spi.JobHandler;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Keys;
import dev.muster.spi.ResultReport;
import dev.muster.store.memory.MemoryStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A worker loop keeps results it could not deliver and reports them again once the coordinator
 * answers, before it leases more; a report the coordinator refuses as such is not sent again.
 * Real coordinators with the HTTP transport on loopback share one memory store, so stopping one
 * and starting another on the same port is a coordinator restart that keeps the pool.
 */
class WorkerLoopRedeliveryTest {
    private final MemoryStore store = new MemoryStore();

    @Test
    void report_whileTheCoordinatorIsDown_isDeliveredAfterTheRestart_longBeforeTheLeaseDeadline() throws Exception {
        int port = freePort();
        Coordinator first = coordinator(port);
        List<Job> jobs = first.submit(echoJobs(3));
        WorkerClient client = new WorkerClient(first.transports().get(0).address(), Keys.generate());
        client.register("alice", Capabilities.of(2, 1024), "test-build", 10);
        AtomicBoolean crashed = new AtomicBoolean();
        JobHandler crashFirst = t -> {
            if (crashed.compareAndSet(false, true)) {
                first.stop(); // the coordinator goes away while the worker runs the batch
            }
            return ResultReport.of(t.jobId(), t.replica(), t.seed(), t.spec().payload(), Map.of());
        };
        WorkerLoop loop = new WorkerLoop(client, crashFirst, 10, Duration.ofMillis(10), Duration.ofMillis(500))
                .stopWhenIdle();
        Thread worker = new Thread(loop, "worker-loop");
        worker.start();
        Coordinator second = null;
        try {
            await(() -> loop.undelivered() == 3 && loop.failures() >= 2, Duration.ofSeconds(20),
                    "the worker holds its three results and has retried");
            assertEquals(0, loop.reported());

            Instant restarted = Instant.now();
            second = coordinator(port);
            Coordinator restartedCoordinator = second;
            await(() -> jobs.stream().allMatch(j -> restartedCoordinator.job(j.id()).orElseThrow().state()
                    == JobState.ACCEPTED), Duration.ofSeconds(20), "every job accepted after the restart");
            Duration took = Duration.between(restarted, Instant.now());
            System.out.println("held results accepted " + took.toMillis() + " ms after the restart");
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "accepted " + took + " after the restart");
            for (Job j : jobs) {
                assertEquals(0, second.job(j.id()).orElseThrow().attempts(), "no lease expired, no attempt lost");
            }
            worker.join(Duration.ofSeconds(20).toMillis());
            assertFalse(worker.isAlive(), "the loop went on to lease, found nothing and returned");
            assertEquals(0, loop.undelivered());
            assertEquals(3, loop.reported());
        } finally {
            loop.stop();
            worker.interrupt();
            first.stop();
            if (second != null) {
                second.stop();
            }
        }
    }

    @Test
    void report_ofLeasesTheCoordinatorNoLongerHolds_isNotSentAgain() throws Exception {
        Coordinator c = coordinator(0);
        try {
            List<JobSpec> specs = new ArrayList<>();
            for (JobSpec s : echoJobs(2)) {
                specs.add(s.toBuilder().timeout(Duration.ofSeconds(1)).build());
            }
            List<Job> jobs = c.submit(specs);
            WorkerClient client = new WorkerClient(c.transports().get(0).address(), Keys.generate());
            client.register("alice", Capabilities.of(2, 1024), "test-build", 10);
            AtomicBoolean expired = new AtomicBoolean();
            JobHandler expireFirst = t -> {
                if (t.jobId().equals(jobs.get(0).id()) && expired.compareAndSet(false, true)) {
                    // The lease ends while the worker runs the job: past its deadline, housekeeping expires it.
                    try {
                        await(() -> Instant.now().isAfter(t.deadline()), Duration.ofSeconds(10), "lease deadline");
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    c.runHousekeeping();
                }
                return ResultReport.of(t.jobId(), t.replica(), t.seed(), t.spec().payload(), Map.of());
            };
            WorkerLoop loop = new WorkerLoop(client, expireFirst, 1, Duration.ofMillis(10), Duration.ofMillis(500))
                    .stopWhenIdle();
            Thread worker = new Thread(loop, "worker-loop");
            worker.start();
            worker.join(Duration.ofSeconds(20).toMillis());
            assertFalse(worker.isAlive(), "the refused report did not hold the loop up");
            assertEquals(0, loop.undelivered(), "the refused result is not kept");
            assertEquals(0, loop.failures(), "the refusal is final: no call failed and was retried");
            assertEquals(2, loop.reported(), "the other job, then the expired one leased again");
            assertEquals(JobState.ACCEPTED, c.job(jobs.get(1).id()).orElseThrow().state(), "the loop went on");
            assertEquals(JobState.ACCEPTED, c.job(jobs.get(0).id()).orElseThrow().state());
            assertEquals(1, c.job(jobs.get(0).id()).orElseThrow().attempts(), "the expired lease counted once");
        } finally {
            c.stop();
        }
    }

    private Coordinator coordinator(int port) {
        Coordinator c = Coordinator.builder().store(store).trustPolicy("quorum", Map.of("replicas", "1", "agree", "1"))
                .validator(new TestValidator()).housekeepingInterval(Duration.ZERO)
                .transport("http", Map.of("port", Integer.toString(port))).build();
        c.start();
        return c;
    }

    private static List<JobSpec> echoJobs(int n) {
        List<JobSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            specs.add(JobSpec.builder("echo", ("game " + i).getBytes(StandardCharsets.UTF_8)).seed(i).build());
        }
        return specs;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void await(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(20); // polling interval, not synchronisation: the condition decides
        }
    }
}
