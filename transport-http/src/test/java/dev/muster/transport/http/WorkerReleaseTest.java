package dev.muster.transport.http;

import dev.muster.spi.RequestSigning;
import dev.muster.worker.WorkerLoop;
import dev.muster.worker.WorkerClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.Coordinator;
import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.Capabilities;
import dev.muster.spi.Job;
import dev.muster.spi.JobHandler;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Keys;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import dev.muster.spi.TicketRef;
import dev.muster.spi.WorkerId;
import dev.muster.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/workers/release}, {@link WorkerClient#release} and the {@link WorkerLoop}'s use of them. */
class WorkerReleaseTest {
    private HttpFixture f;

    @BeforeEach
    void start() {
        Coordinator c = Coordinator.builder().store(new MemoryStore()).trustPolicy(new QuorumPolicy(1, 1, 1, false))
                .validator(new TestValidator()).housekeepingInterval(Duration.ZERO).maxLeaseBatch(50).maxReportBatch(50)
                .transport("http", Map.of("port", "0")).build();
        c.start();
        f = new HttpFixture(c);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** Jobs with the default ten-minute lease, so nothing in a test comes back by expiring. */
    private List<Job> submit(int n, int firstSeed) {
        List<JobSpec> specs = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            specs.add(JobSpec.builder("echo", ("game " + (firstSeed + i)).getBytes(StandardCharsets.UTF_8))
                    .seed(firstSeed + i).build());
        }
        return f.coordinator.submit(specs);
    }

    private WorkerClient worker(KeyPair key, String owner) {
        WorkerClient w = new WorkerClient(f.base, key);
        w.register(owner, Capabilities.of(2, 1024), "test-build", 10);
        return w;
    }

    private Job job(Ticket t) {
        return f.coordinator.job(t.jobId()).orElseThrow();
    }

    private HttpFixture.Reply signed(KeyPair key, String path, String body) {
        String worker = WorkerId.of(key.getPublic()).value();
        long now = System.currentTimeMillis();
        String nonce = "n" + Long.toHexString(System.nanoTime()) + "x";
        byte[] sig = Keys.sign(key.getPrivate(), RequestSigning.signedBytes("POST", "/v1/" + path, worker, now, nonce,
                body.getBytes(StandardCharsets.UTF_8)));
        return f.call("POST", path, body, RequestSigning.WORKER, worker, RequestSigning.TIMESTAMP,
                Long.toString(now), RequestSigning.NONCE, nonce, RequestSigning.SIGNATURE,
                Base64.getEncoder().encodeToString(sig), "Content-Type", "application/json");
    }

    @Test
    void release_overHttp_returnsTheJobsAtOnce_countingAnAttemptOnlyForFailed() {
        submit(2, 1);
        WorkerClient alice = worker(Keys.generate(), "alice");
        List<Ticket> held = alice.lease(2);
        assertEquals(2, held.size());
        assertEquals(List.of(TicketRef.of(held.get(0))), alice.release(List.of(held.get(0)), ReleaseReason.FAILED));
        assertEquals(List.of(TicketRef.of(held.get(1))), alice.release(List.of(held.get(1)), ReleaseReason.NOT_RUN));
        assertEquals(1, job(held.get(0)).attempts());
        assertEquals(0, job(held.get(1)).attempts());
        assertEquals(0, f.coordinator.summary().activeLeases());
        assertEquals(2, worker(Keys.generate(), "bob").lease(2).size(), "both jobs are back in the queue now");
        assertEquals(List.of(), alice.release(List.of(held.get(0)), ReleaseReason.FAILED), "no longer alice's");
    }

    @Test
    void release_withBadBodies_answers400Problems_andChangesNothing() {
        submit(1, 1);
        KeyPair key = Keys.generate();
        WorkerClient alice = worker(key, "alice");
        Ticket t = alice.lease(1).get(0);
        String ref = "{\"jobId\":\"" + t.jobId() + "\",\"replica\":" + t.replica() + "}";
        List<String> bad = List.of(
                "{\"tickets\":[],\"reason\":\"FAILED\"}",
                "{\"tickets\":[" + ref + "]}",
                "{\"tickets\":[" + ref + "],\"reason\":\"LATER\"}",
                "{\"tickets\":[" + ref + "," + ref + "],\"reason\":\"FAILED\"}",
                "{\"tickets\":[null],\"reason\":\"FAILED\"}",
                "{\"reason\":\"FAILED\"}",
                "{\"tickets\":[{\"jobId\":\"" + t.jobId() + "\"}],\"reason\":\"FAILED\"}",
                "{\"tickets\":[{\"jobId\":\"" + t.jobId() + "\",\"replica\":-1}],\"reason\":\"FAILED\"}",
                "{\"tickets\":[{\"jobId\":\"one\",\"replica\":0}],\"reason\":\"FAILED\"}");
        for (String body : bad) {
            HttpFixture.Reply r = signed(key, "workers/release", body);
            assertEquals(400, r.status(), body + " -> " + r.body());
            assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
            assertTrue(!r.body().toString().contains("dev.muster"), r.body().toString());
        }
        assertEquals(1, f.coordinator.summary().activeLeases());
        assertEquals(0, job(t).attempts());
        HttpFixture.Reply unsigned = f.call("POST", "workers/release", "{\"tickets\":[" + ref + "],\"reason\":\"FAILED\"}",
                "Content-Type", "application/json");
        assertEquals(401, unsigned.status());
        assertEquals(1, f.coordinator.summary().activeLeases());
        HttpFixture.Reply ok = signed(key, "workers/release", "{\"tickets\":[" + ref + "],\"reason\":\"FAILED\"}");
        assertEquals(200, ok.status(), String.valueOf(ok.body()));
        assertEquals(t.jobId().toString(), ok.body().get("released").get(0).get("jobId").asText());
    }

    @Test
    void workerLoop_givesBackAJobItsHandlerFailsOn_soAPoisonedJobFailsInSecondsNotLeaseDeadlines() {
        List<Job> jobs = submit(3, 10);
        long poison = jobs.get(1).spec().seed();
        JobHandler handler = t -> {
            if (t.seed() == poison) {
                throw new IllegalStateException("this job always breaks its handler");
            }
            return ResultReport.of(t.jobId(), t.replica(), t.seed(), t.spec().payload(), Map.of());
        };
        List<WorkerLoop.BatchSummary> batches = new java.util.ArrayList<>();
        WorkerLoop loop = new WorkerLoop(worker(Keys.generate(), "alice"), handler, 4, Duration.ofMillis(10),
                Duration.ofSeconds(1)).stopWhenIdle().onBatch(batches::add);
        long started = System.nanoTime();
        loop.run();
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        Job failed = f.coordinator.job(jobs.get(1).id()).orElseThrow();
        assertEquals(JobState.FAILED, failed.state(), failed.toString());
        assertEquals(3, failed.attempts(), "each failure counted an attempt, up to the job's maximum");
        assertTrue(failed.failureReason().endsWith("could not run it; the worker reports: \"this job always breaks its handler\""),
                "the handler's reason is kept on the job: " + failed.failureReason());
        assertEquals(3, batches.stream().mapToInt(WorkerLoop.BatchSummary::failed).sum(), batches.toString());
        assertEquals(2, batches.stream().mapToInt(WorkerLoop.BatchSummary::run).sum(), batches.toString());
        assertEquals(2, batches.stream().mapToLong(WorkerLoop.BatchSummary::accepted).sum(), batches.toString());
        assertEquals(2.0, batches.stream().mapToDouble(WorkerLoop.BatchSummary::credit).sum(), 1e-9,
                "one credit a job, granted as each was accepted: " + batches);
        assertEquals(JobState.ACCEPTED, f.coordinator.job(jobs.get(0).id()).orElseThrow().state());
        assertEquals(JobState.ACCEPTED, f.coordinator.job(jobs.get(2).id()).orElseThrow().state());
        assertEquals(0, loop.failures());
        assertEquals(0, f.coordinator.summary().activeLeases());
        assertTrue(seconds < 60, "took " + seconds + " s; the lease is ten minutes");
    }

    @Test
    void workerLoop_givesBackJobsOfTypesItHasNoHandlerFor_unrun_atNoCostToTheJob() {
        List<Job> jobs = submit(2, 30);
        JobHandler none = t -> {
            throw new dev.muster.worker.JobHandlers.NoHandler("no handler for '" + t.type() + "'");
        };
        WorkerLoop loop = new WorkerLoop(worker(Keys.generate(), "alice"), none, 4, Duration.ofMillis(10),
                Duration.ofMillis(300)).stopWhenIdle();
        List<WorkerLoop.BatchSummary> batches = new java.util.ArrayList<>();
        loop.onBatch(b -> {
            batches.add(b);
            loop.stop();
        });
        loop.run();
        assertEquals(List.of(0), batches.stream().map(WorkerLoop.BatchSummary::failed).toList());
        for (Job j : jobs) {
            Job now = f.coordinator.job(j.id()).orElseThrow();
            assertEquals(JobState.QUEUED, now.state(), now.toString());
            assertEquals(0, now.attempts(), "given back unrun: " + now);
        }
    }

    @Test
    void workerLoop_stoppedMidBatch_givesBackTheTicketsItDidNotStart_withoutCostingAttempts() throws Exception {
        List<Job> jobs = submit(4, 20);
        WorkerLoop[] self = new WorkerLoop[1];
        java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
        JobHandler handler = t -> {
            ran.incrementAndGet();
            self[0].stop();
            return ResultReport.of(t.jobId(), t.replica(), t.seed(), t.spec().payload(), Map.of());
        };
        self[0] = new WorkerLoop(worker(Keys.generate(), "alice"), handler, 4, Duration.ofMillis(10),
                Duration.ofSeconds(1));
        self[0].run();
        assertEquals(1, ran.get(), "stop() during the first ticket");
        assertEquals(1, self[0].reported());
        assertEquals(0, f.coordinator.summary().activeLeases(), "the three unstarted tickets were given back");
        long accepted = 0;
        for (Job j : jobs) {
            Job now = f.coordinator.job(j.id()).orElseThrow();
            assertEquals(0, now.attempts(), now.toString());
            accepted += now.state() == JobState.ACCEPTED ? 1 : 0;
        }
        assertEquals(1, accepted);
        assertEquals(3, worker(Keys.generate(), "bob").lease(4).size(), "the rest can run elsewhere at once");
    }
}
