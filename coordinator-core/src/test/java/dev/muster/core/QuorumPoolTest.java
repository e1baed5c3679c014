package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.Job;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.Rejection;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.Ticket;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QuorumPoolTest {
    private final List<CoordinatorEvent> events = new CopyOnWriteArrayList<>();
    private Coordinator coordinator;

    private Coordinator open(int replicas, int agree, int max) {
        coordinator = Coordinator.builder().clock(new SettableClock(Instant.parse("2026-02-01T00:00:00Z")))
                .store(new MemoryStore()).trustPolicy(new QuorumPolicy(replicas, agree, max, true))
                .validator(new EchoValidator()).listener(events::add).housekeepingInterval(Duration.ZERO).build();
        coordinator.start();
        return coordinator;
    }

    @AfterEach
    void stop() {
        coordinator.stop();
    }

    private SigningWorker worker(String owner) {
        return SigningWorker.registered(coordinator, owner);
    }

    private Job submit() {
        return coordinator.submit(List.of(JobSpec.builder("echo", "deck A vs deck B".getBytes(StandardCharsets.UTF_8))
                .seed(99).build())).get(0);
    }

    private static Ticket one(SigningWorker w) {
        List<Ticket> t = w.lease(1).tickets();
        assertEquals(1, t.size(), "worker " + w.owner() + " should get one ticket");
        return t.get(0);
    }

    @Test
    void wrongResult_isOutvoted_logged_andEarnsNothing() {
        open(2, 2, 4);
        SigningWorker honest1 = worker("alice");
        SigningWorker cheat = worker("mallory");
        SigningWorker honest2 = worker("carol");
        Job job = submit();
        Ticket t1 = one(honest1);
        Ticket t2 = one(cheat);
        assertEquals(ReportStatus.RECORDED, honest1.report(SigningWorker.answer(t1, "alice wins")).status());
        assertEquals(ReportStatus.RECORDED, cheat.report(SigningWorker.answer(t2, "mallory wins")).status());
        assertEquals(3, coordinator.job(job.id()).orElseThrow().replicasWanted(), "disagreement adds a replica");
        Ticket t3 = one(honest2);
        assertEquals(ReportStatus.ACCEPTED, honest2.report(SigningWorker.answer(t3, "alice wins")).status());

        Rejection r = coordinator.rejections(10).stream().filter(x -> x.reason() == RejectionReason.OUTVOTED)
                .findFirst().orElseThrow();
        assertEquals(cheat.id(), r.worker());
        assertEquals(job.id(), r.jobId());
        List<String> earners = coordinator.leaderboard(LeaderboardScope.OWNER, null, 10).stream()
                .map(LeaderboardEntry::name).toList();
        assertEquals(List.of("alice", "carol"), earners);
        assertTrue(events.stream().anyMatch(e -> e instanceof CoordinatorEvent.ResultRejected rr
                && rr.rejection().worker().equals(cheat.id())));
    }

    @Test
    void noAgreementByTheCap_failsTheJobAsInconclusive() {
        open(2, 2, 2);
        SigningWorker a = worker("alice");
        SigningWorker b = worker("bob");
        Job job = submit();
        Ticket ta = one(a);
        Ticket tb = one(b);
        a.report(SigningWorker.answer(ta, "x"));
        b.report(SigningWorker.answer(tb, "y"));
        Job failed = coordinator.job(job.id()).orElseThrow();
        assertEquals(JobState.FAILED, failed.state());
        assertTrue(failed.failureReason().contains("inconclusive"), failed.failureReason());
        assertTrue(events.stream().anyMatch(e -> e instanceof CoordinatorEvent.JobFailed));
    }

    @Test
    void workersOfOneOwner_neverRunTwoReplicasOfOneJob() {
        open(2, 2, 4);
        SigningWorker a1 = worker("alice");
        SigningWorker a2 = worker("alice");
        SigningWorker b = worker("bob");
        submit();
        one(a1);
        assertTrue(a2.lease(5).tickets().isEmpty());
        one(b);
    }
}
