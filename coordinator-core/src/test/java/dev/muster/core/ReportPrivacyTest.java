package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A report on a job the worker does not hold tells it nothing about that job. */
class ReportPrivacyTest {
    private static final long SECRET_SEED = 987_654_321_987L;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private Coordinator c;

    @BeforeEach
    void start() {
        c = Coordinator.builder().clock(clock).store(new MemoryStore()).trustPolicy(new QuorumPolicy(2, 2, 2, false))
                .validator(new EchoValidator()).housekeepingInterval(Duration.ZERO).build();
        c.start();
    }

    @AfterEach
    void stop() {
        c.stop();
    }

    private SigningWorker worker(String owner) {
        return SigningWorker.registered(c, owner);
    }

    private Job submit(long seed) {
        return c.submit(List.of(JobSpec.builder("echo", ("payload " + seed).getBytes(StandardCharsets.UTF_8))
                .seed(seed).build())).get(0);
    }

    /** Reports a prober can make about a job: a seed guess, the right seed, a bad digest. */
    private static List<ResultReport> probes(JobId job, int replica) {
        byte[] bytes = "guess".getBytes(StandardCharsets.UTF_8);
        return List.of(ResultReport.of(job, replica, 1, bytes, Map.of()),
                ResultReport.of(job, replica, SECRET_SEED, bytes, Map.of()),
                new ResultReport(job, replica, SECRET_SEED, bytes, "0".repeat(64), Map.of()));
    }

    @Test
    void report_onJobsTheWorkerDoesNotHold_getsTheSameAnswerWhateverTheJob() {
        SigningWorker alice = worker("alice");
        SigningWorker bob = worker("bob");
        SigningWorker mallory = worker("mallory");
        Job leased = submit(SECRET_SEED);          // alice holds replica 0, bob replica 1
        Ticket aliceTicket = alice.lease(1).tickets().get(0);
        bob.lease(1);
        Job finished = submit(SECRET_SEED + 1);    // accepted by alice and bob
        for (SigningWorker w : List.of(alice, bob)) {
            Ticket t = w.lease(1).tickets().get(0);
            assertEquals(finished.id(), t.jobId());
            assertFalse(w.report(SigningWorker.answer(t, "42")).status() == ReportStatus.REJECTED);
        }
        assertEquals(JobState.ACCEPTED, c.job(finished.id()).orElseThrow().state());
        Job queued = submit(SECRET_SEED + 2);      // leased to nobody
        JobId unknown = JobId.of(424_242);

        List<String> answers = new ArrayList<>();
        for (JobId job : List.of(leased.id(), finished.id(), queued.id(), unknown)) {
            for (ResultReport probe : probes(job, aliceTicket.replica())) {
                ReportOutcome o = mallory.report(probe);
                assertEquals(RejectionReason.NOT_LEASED, o.reason(), job + ": " + o);
                String detail = o.detail();
                for (String secret : List.of(Long.toString(SECRET_SEED), alice.id().value(), bob.id().value(),
                        leased.payloadDigest(), "ACCEPTED", "QUEUED", "RUNNING", "expired")) {
                    assertFalse(detail.contains(secret), detail + " gives away " + secret);
                }
                answers.add(detail.replace(" job " + job + " ", " job <job> "));
            }
        }
        assertEquals(1, answers.stream().distinct().count(), "one answer for every job: " + answers);
        // The holder is told what is wrong with its own report.
        ReportOutcome own = alice.report(ResultReport.of(leased.id(), aliceTicket.replica(), 1, new byte[] {1}, Map.of()));
        assertEquals(RejectionReason.SEED_MISMATCH, own.reason());
    }
}
