package dev.muster.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.spi.Capabilities;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Keys;
import dev.muster.spi.ResultReport;
import dev.muster.store.memory.MemoryStore;
import dev.muster.worker.WorkerClient;
import dev.muster.worker.WorkerLoop;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The worker loop after its coordinator restarts with an empty memory store, and when it is stopped while backing off. */
class WorkerRecoveryTest {
    private static final long SEED = 20261202L;
    /** The pool's ticket-signing key outlives a restart, as a deployment keeps it in a file: workers pin it. */
    private static final java.security.KeyPair SIGNING = Keys.generate();

    private static Coordinator coordinator(int port) {
        Coordinator c = Coordinator.builder().store(new MemoryStore()).trustPolicy("quorum", Map.of("replicas", "1"))
                .signingKey(SIGNING)
                .validator(new TestValidator()).housekeepingInterval(Duration.ZERO)
                .transport("http", Map.of("port", String.valueOf(port))).build();
        c.start();
        return c;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static JobSpec job(int seed) {
        return JobSpec.builder("echo", ("game " + seed).getBytes(StandardCharsets.UTF_8)).seed(seed).build();
    }

    @Test
    void aWorkerTheRestartedCoordinatorForgot_registersAgainByItself_andRunsItsJobs() throws Exception {
        System.out.println("WorkerRecoveryTest seed " + SEED);
        int port = freePort();
        Coordinator first = coordinator(port);
        WorkerClient client = new WorkerClient(first.transports().get(0).address(), Keys.generate());
        client.register("alice", Capabilities.of(2, 1024), "test-build", 4);
        WorkerLoop loop = new WorkerLoop(client, t -> ResultReport.of(t.jobId(), t.replica(), t.seed(),
                t.spec().payload(), Map.of()), 4, Duration.ofMillis(200), Duration.ofSeconds(1),
                new SplittableRandom(SEED));
        Thread thread = new Thread(loop, "worker-loop");
        thread.start();
        try {
            first.submit(List.of(job(1)));
            awaitAccepted(first, 1);
            first.stop();

            Coordinator second = coordinator(port);
            try {
                second.submit(List.of(job(2), job(3)));
                awaitAccepted(second, 2);
                assertEquals(1, loop.registeredAgain(), "one registration after the 401 of a forgotten worker");
                assertEquals(client.id(), second.workers(null, 10).get(0).id());
            } finally {
                loop.stop();
                thread.join(10_000);
                second.stop();
            }
        } finally {
            loop.stop();
            first.stop();
        }
        assertTrue(!thread.isAlive(), "the loop returned after stop()");
    }

    @Test
    void stop_endsABackOffPause_atOnce() throws Exception {
        int port = freePort();
        WorkerClient client = new WorkerClient(java.net.URI.create("http://127.0.0.1:" + port + "/v1/"),
                Keys.generate());
        // Nothing listens: every call fails, and the loop backs off with a ceiling of a minute.
        WorkerLoop loop = new WorkerLoop(client, t -> {
            throw new AssertionError("no ticket can come");
        }, 1, Duration.ofMillis(10), Duration.ofMinutes(1), new SplittableRandom(SEED));
        Thread thread = new Thread(loop, "worker-loop");
        thread.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (loop.failures() < 6) {
            assertTrue(System.nanoTime() < deadline, "six failed calls within 30 s");
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
        long stopped = System.nanoTime();
        loop.stop();
        thread.join(5_000);
        assertTrue(!thread.isAlive(), "stop() ended the pause");
        long millis = (System.nanoTime() - stopped) / 1_000_000;
        System.out.println("WorkerRecoveryTest: the loop returned " + millis + " ms after stop()");
    }

    private static void awaitAccepted(Coordinator c, long n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (c.summary().jobs().getOrDefault(JobState.ACCEPTED, 0L) < n) {
            assertTrue(System.nanoTime() < deadline, n + " jobs accepted within 30 s: " + c.summary());
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
    }
}
