package dev.muster.transport.http;

import dev.muster.worker.WorkerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Job;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Keys;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import dev.muster.spi.Validator;
import dev.muster.spi.Verdict;
import dev.muster.store.memory.MemoryStore;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Stopping a coordinator: readiness goes to 503 first, a request in flight finishes within the
 * grace period and is recorded, new connections are refused, then the store closes.
 */
class GracefulStopTest {
    /** A validator that holds each result until the test lets it go. */
    private static final class HeldValidator implements Validator {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public String jobType() {
            return "echo";
        }

        @Override
        public Verdict validate(Job job, ResultReport result) {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Verdict.ok();
        }
    }

    private static Coordinator coordinator(MemoryStore store, Validator validator, String grace) {
        Coordinator c = Coordinator.builder().store(store).trustPolicy("quorum", Map.of("replicas", "1"))
                .validator(validator).housekeepingInterval(Duration.ZERO)
                .transport("http", Map.of("port", "0", "gracePeriod", grace)).build();
        c.start();
        return c;
    }

    private static CompletableFuture<List<ReportOutcome>> reportInFlight(Coordinator c, HeldValidator held)
            throws Exception {
        c.submit(List.of(JobSpec.builder("echo", "deck A vs deck B".getBytes(StandardCharsets.UTF_8)).seed(7).build()));
        WorkerClient w = new WorkerClient(c.transports().get(0).address(), Keys.generate());
        w.register("alice", Capabilities.of(2, 1024), "graceful-test", 4);
        Ticket t = w.lease(1).get(0);
        CompletableFuture<List<ReportOutcome>> report = CompletableFuture.supplyAsync(() -> w.report(List.of(
                ResultReport.of(t.jobId(), t.replica(), t.seed(), "alice wins".getBytes(StandardCharsets.UTF_8),
                        Map.of()))));
        assertTrue(held.entered.await(10, TimeUnit.SECONDS), "the report reached the validator");
        return report;
    }

    @Test
    void stopping_turnsReadinessOffFirst_andLetsTheRequestInFlightFinish() throws Exception {
        MemoryStore store = new MemoryStore();
        HeldValidator held = new HeldValidator();
        Coordinator c = coordinator(store, held, "10s");
        URI address = c.transports().get(0).address();
        CompletableFuture<List<ReportOutcome>> report = reportInFlight(c, held);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(c::stop);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (c.readiness().ready()) {
            assertTrue(System.nanoTime() < deadline, "readiness turned off within 10 s of stop()");
            Thread.onSpinWait();
        }
        assertTrue(c.readiness().reason().contains("stopping"), c.readiness().reason());
        assertFalse(stopping.isDone(), "stop waits for the request in flight");
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (accepts(address)) {
            assertTrue(System.nanoTime() < deadline, "new connections refused within 10 s of stop()");
            Thread.onSpinWait();
        }

        held.release.countDown();
        List<ReportOutcome> outcomes = report.get(10, TimeUnit.SECONDS);
        assertEquals(ReportStatus.ACCEPTED, outcomes.get(0).status(), "the request in flight was served");
        stopping.get(10, TimeUnit.SECONDS);
        assertFalse(c.readiness().ready());
        assertEquals(JobState.ACCEPTED, store.job(outcomes.get(0).jobId()).orElseThrow().state());
    }

    @Test
    void aRequestStillInFlightAfterTheGracePeriod_isCut_andStopReturns() throws Exception {
        HeldValidator held = new HeldValidator();
        Coordinator c = coordinator(new MemoryStore(), held, "200ms");
        CompletableFuture<List<ReportOutcome>> report = reportInFlight(c, held);
        long started = System.nanoTime();
        c.stop();
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(took < 5_000, "stop took " + took + " ms with a grace period of 200 ms");
        held.release.countDown();
        assertThrows(Exception.class, () -> report.get(10, TimeUnit.SECONDS), "the cut request failed");
    }

    private static boolean accepts(URI address) {
        try (Socket s = new Socket(address.getHost(), address.getPort())) {
            return s.isConnected();
        } catch (IOException e) {
            return false;
        }
    }
}
