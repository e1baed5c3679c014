package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.policy.AllowlistPolicy;
import dev.muster.spi.BadSignatureException;
import dev.muster.spi.Capabilities;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.CoordinatorStateException;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Keys;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.NotLeasedException;
import dev.muster.spi.Registration;
import dev.muster.spi.RegistrationRefusedException;
import dev.muster.spi.Rejection;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReportOutcome;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.ResultBatch;
import dev.muster.spi.ResultRejectedException;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import dev.muster.spi.TicketBatch;
import dev.muster.spi.UnknownJobTypeException;
import dev.muster.spi.UnknownWorkerException;
import dev.muster.spi.WorkerBannedException;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CoordinatorTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final List<CoordinatorEvent> events = new CopyOnWriteArrayList<>();
    private final AllowlistPolicy allowlist = new AllowlistPolicy(List.of());
    private Coordinator coordinator;

    @BeforeEach
    void start() {
        coordinator = Coordinator.builder().clock(clock).store(new MemoryStore()).trustPolicy(allowlist)
                .validator(new EchoValidator()).listener(events::add).housekeepingInterval(Duration.ZERO)
                .maxPayloadBytes(1024).maxResultBytes(1024).maxSubmitBatch(100).maxLeaseBatch(50)
                .allowedClientBuilds(Set.of("build-1", "build-2")).build();
        coordinator.start();
    }

    @AfterEach
    void stop() {
        coordinator.stop();
    }

    private SigningWorker worker(String owner) {
        SigningWorker w = new SigningWorker(coordinator, owner);
        allowlist.allow(w.keys().getPublic());
        w.register();
        return w;
    }

    private static JobSpec echo(long seed) {
        return JobSpec.builder("echo", ("payload " + seed).getBytes(StandardCharsets.UTF_8)).seed(seed)
                .timeout(Duration.ofSeconds(60)).build();
    }

    private Job submitOne(long seed) {
        return coordinator.submit(List.of(echo(seed))).get(0);
    }

    /** Everything a rejected request must leave as it was (the rejection log aside). */
    private record Snapshot(Map<JobState, Long> jobs, Map<WorkerState, Long> workers, long leases, Object board) {}

    private Snapshot snapshot() {
        var s = coordinator.summary();
        return new Snapshot(s.jobs(), s.workers(), s.activeLeases(),
                coordinator.leaderboard(LeaderboardScope.WORKER, null, 100));
    }

    // ------------------------------------------------------------------ registration

    @Test
    void register_withValidProof_storesAnActiveWorker() {
        SigningWorker w = worker("alice");
        var stored = coordinator.worker(w.id()).orElseThrow();
        assertEquals(WorkerState.ACTIVE, stored.state());
        assertEquals("alice", stored.owner());
        assertEquals(w.keys().getPublic(), stored.publicKey());
    }

    @Test
    void register_withForgedProof_throwsBadSignature_andStoresNothing() {
        SigningWorker w = new SigningWorker(coordinator, "mallory");
        allowlist.allow(w.keys().getPublic());
        Registration good = w.registration(Capabilities.of(4, 1024), "build-1", 10);
        byte[] sig = good.signature();
        sig[0] ^= 1;
        Registration forged = new Registration(good.publicKey(), good.owner(), good.capabilities(), good.clientBuild(),
                good.maxConcurrentLeases(), good.challenge(), sig);
        Snapshot before = snapshot();
        BadSignatureException e = assertThrows(BadSignatureException.class, () -> coordinator.register(forged));
        assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
        assertTrue(coordinator.worker(w.id()).isEmpty());
        assertEquals(before, snapshot());
    }

    @Test
    void register_whenProofIsReusedForOtherDetails_throwsBadSignature() {
        SigningWorker w = new SigningWorker(coordinator, "alice");
        allowlist.allow(w.keys().getPublic());
        Registration good = w.registration(Capabilities.of(4, 1024), "build-1", 10);
        Registration inflated = new Registration(good.publicKey(), good.owner(), Capabilities.of(512, 1 << 20),
                good.clientBuild(), good.maxConcurrentLeases(), good.challenge(), good.signature());
        assertThrows(BadSignatureException.class, () -> coordinator.register(inflated));
        assertTrue(coordinator.worker(w.id()).isEmpty());
    }

    @Test
    void register_withExpiredOrForeignChallenge_throwsBadSignature() {
        SigningWorker w = new SigningWorker(coordinator, "alice");
        allowlist.allow(w.keys().getPublic());
        Registration r = w.registration(Capabilities.of(4, 1024), "build-1", 10);
        clock.advance(Duration.ofMinutes(3));
        BadSignatureException expired = assertThrows(BadSignatureException.class, () -> coordinator.register(r));
        assertTrue(expired.getMessage().contains("expired"), expired.getMessage());

        byte[] made = new byte[56];
        byte[] signed = dev.muster.spi.SignedBytes.registration(made, w.keys().getPublic(), "alice",
                Capabilities.of(4, 1024), "build-1", 10);
        Registration foreign = new Registration(w.keys().getPublic(), "alice", Capabilities.of(4, 1024), "build-1", 10,
                made, Keys.sign(w.keys().getPrivate(), signed));
        BadSignatureException notOurs = assertThrows(BadSignatureException.class, () -> coordinator.register(foreign));
        assertTrue(notOurs.getMessage().contains("not issued by this coordinator"), notOurs.getMessage());
        assertTrue(coordinator.worker(w.id()).isEmpty());
    }

    @Test
    void register_whenKeyIsNotAllowlisted_isRefused_andStoresNothing() {
        SigningWorker stranger = new SigningWorker(coordinator, "eve");
        Snapshot before = snapshot();
        RegistrationRefusedException e = assertThrows(RegistrationRefusedException.class, stranger::register);
        assertTrue(e.getMessage().contains("not on the allowlist"), e.getMessage());
        assertTrue(coordinator.worker(stranger.id()).isEmpty());
        assertEquals(before, snapshot());
    }

    @Test
    void register_withClientBuildNotAllowed_isRefused() {
        SigningWorker w = new SigningWorker(coordinator, "alice");
        allowlist.allow(w.keys().getPublic());
        Registration r = w.registration(Capabilities.of(4, 1024), "build-666", 10);
        RegistrationRefusedException e = assertThrows(RegistrationRefusedException.class, () -> coordinator.register(r));
        assertTrue(e.getMessage().contains("build-666"), e.getMessage());
        assertTrue(coordinator.worker(w.id()).isEmpty());
    }

    @Test
    void registration_withNullOrOversizedFields_isRefusedByTheValue() {
        SigningWorker w = new SigningWorker(coordinator, "alice");
        Registration r = w.registration(Capabilities.of(4, 1024), "build-1", 10);
        assertThrows(InvalidRequestException.class, () -> new Registration(null, "a", r.capabilities(), "b", 1,
                r.challenge(), r.signature()));
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> new Registration(r.publicKey(),
                "x".repeat(129), r.capabilities(), "b", 1, r.challenge(), r.signature()));
        assertTrue(e.getMessage().contains("owner"), e.getMessage());
        assertThrows(InvalidRequestException.class, () -> new Registration(r.publicKey(), "a", r.capabilities(), "b",
                1, new byte[1000], r.signature()));
    }

    // ------------------------------------------------------------------ submission

    @Test
    void submit_withUnknownType_throws_andQueuesNothing() {
        Snapshot before = snapshot();
        JobSpec unknown = JobSpec.builder("chess", new byte[] {1}).build();
        UnknownJobTypeException e = assertThrows(UnknownJobTypeException.class,
                () -> coordinator.submit(List.of(echo(1), unknown)));
        assertTrue(e.getMessage().contains("'chess'") && e.getMessage().contains("echo"), e.getMessage());
        assertEquals(before, snapshot());
    }

    @Test
    void submit_withOversizedPayloadOrBatch_throws_andQueuesNothing() {
        Snapshot before = snapshot();
        JobSpec big = JobSpec.builder("echo", new byte[1025]).build();
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> coordinator.submit(List.of(echo(1), big)));
        assertTrue(e.getMessage().contains("1025 bytes"), e.getMessage());
        List<JobSpec> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(echo(i));
        }
        assertThrows(InvalidRequestException.class, () -> coordinator.submit(tooMany));
        assertThrows(InvalidRequestException.class, () -> coordinator.submit(List.of()));
        assertThrows(InvalidRequestException.class, () -> coordinator.submit(Arrays.asList(echo(1), null)));
        assertEquals(before, snapshot());
    }

    @Test
    void jobSpec_withNullOrOversizedFields_failsWithTheFieldNamed() {
        InvalidRequestException nullType = assertThrows(InvalidRequestException.class,
                () -> JobSpec.builder(null, new byte[1]).build());
        assertTrue(nullType.getMessage().contains("type"), nullType.getMessage());
        InvalidRequestException longKey = assertThrows(InvalidRequestException.class,
                () -> JobSpec.builder("echo", new byte[1]).idempotencyKey("k".repeat(201)).build());
        assertTrue(longKey.getMessage().contains("idempotencyKey"), longKey.getMessage());
        assertThrows(InvalidRequestException.class, () -> JobSpec.builder("echo", null).build());
        assertThrows(InvalidRequestException.class,
                () -> JobSpec.builder("echo", new byte[1]).timeout(Duration.ofDays(30)).build());
    }

    @Test
    void submit_sameIdempotencyKeyTwice_returnsTheSameJob() {
        JobSpec a = echo(1).toBuilder().idempotencyKey("batch-7/game-1").build();
        Job first = coordinator.submit(List.of(a)).get(0);
        Job again = coordinator.submit(List.of(a)).get(0);
        assertEquals(first.id(), again.id());
        assertEquals(1L, coordinator.summary().jobs().get(JobState.QUEUED));
    }

    // ------------------------------------------------------------------ leasing

    @Test
    void lease_returnsTicketsSignedByTheCoordinator() {
        SigningWorker w = worker("alice");
        Job job = submitOne(7);
        TicketBatch batch = w.lease(10);
        assertEquals(1, batch.tickets().size());
        Ticket t = batch.tickets().get(0);
        assertEquals(job.id(), t.jobId());
        assertEquals(7, t.seed());
        assertEquals(clock.instant().plusSeconds(60), t.deadline());
        assertTrue(Keys.verify(coordinator.ticketSigningKey().orElseThrow(), batch.signedBytes(), batch.signature()));
    }

    @Test
    void lease_byUnknownWorker_orWithBadMax_throws() {
        submitOne(1);
        Snapshot before = snapshot();
        assertThrows(UnknownWorkerException.class, () -> coordinator.lease(new WorkerId("0".repeat(32)), 1));
        SigningWorker w = worker("alice");
        assertThrows(InvalidRequestException.class, () -> w.lease(0));
        assertThrows(InvalidRequestException.class, () -> w.lease(51));
        assertEquals(before.jobs(), snapshot().jobs());
        assertEquals(0L, coordinator.summary().activeLeases());
    }

    // ------------------------------------------------------------------ results

    @Test
    void report_validResult_acceptsJob_grantsCredit_andNotifiesSinks() {
        SigningWorker w = worker("alice");
        Job job = submitOne(1);
        Ticket t = w.lease(1).tickets().get(0);
        ReportOutcome o = w.report(SigningWorker.answer(t, "won in 10"));
        assertEquals(ReportStatus.ACCEPTED, o.status());
        assertEquals(JobState.ACCEPTED, coordinator.job(job.id()).orElseThrow().state());
        var board = coordinator.leaderboard(LeaderboardScope.OWNER, null, 10);
        assertEquals("alice", board.get(0).name());
        assertEquals(1.0, board.get(0).credit());
        CoordinatorEvent.JobAccepted accepted = events.stream()
                .filter(e -> e instanceof CoordinatorEvent.JobAccepted).map(e -> (CoordinatorEvent.JobAccepted) e)
                .findFirst().orElseThrow();
        assertArrayEquals("won in 10".getBytes(StandardCharsets.UTF_8), accepted.result());
    }

    @Test
    void report_withForgedBatchSignature_throws_andChangesNothing() {
        SigningWorker w = worker("alice");
        Job job = submitOne(1);
        Ticket t = w.lease(1).tickets().get(0);
        ResultBatch good = w.signed(List.of(SigningWorker.answer(t, "x")));
        byte[] sig = good.signature();
        sig[5] ^= 0x40;
        Snapshot before = snapshot();
        assertThrows(BadSignatureException.class,
                () -> coordinator.report(new ResultBatch(w.id(), good.results(), sig)));
        assertEquals(before, snapshot());
        assertEquals(JobState.RUNNING, coordinator.job(job.id()).orElseThrow().state());
        assertEquals(RejectionReason.BAD_SIGNATURE, coordinator.rejections(1).get(0).reason());
    }

    @Test
    void report_signedByAnotherKey_throws() {
        SigningWorker w = worker("alice");
        SigningWorker other = worker("bob");
        submitOne(1);
        Ticket t = w.lease(1).tickets().get(0);
        ResultBatch byOther = other.signed(List.of(SigningWorker.answer(t, "x")));
        Snapshot before = snapshot();
        assertThrows(BadSignatureException.class,
                () -> coordinator.report(new ResultBatch(w.id(), byOther.results(), byOther.signature())));
        assertEquals(before, snapshot());
    }

    @Test
    void report_forAJobNeverLeased_isRejectedAsNotLeased_andChangesNothing() {
        SigningWorker w = worker("alice");
        Job job = submitOne(1);
        Snapshot before = snapshot();
        ReportOutcome o = w.report(ResultReport.of(job.id(), 0, 1, new byte[] {1}, Map.of()));
        assertEquals(RejectionReason.NOT_LEASED, o.reason());
        assertThrows(NotLeasedException.class, o::orThrow);
        assertEquals(before, snapshot());
        assertEquals(JobState.QUEUED, coordinator.job(job.id()).orElseThrow().state());
        Rejection logged = coordinator.rejections(1).get(0);
        assertEquals(w.id(), logged.worker());
        assertEquals(job.id(), logged.jobId());
    }

    @Test
    void report_forAnotherWorkersLease_isRejected_andTheHolderCanStillReport() {
        SigningWorker holder = worker("alice");
        SigningWorker thief = worker("mallory");
        submitOne(1);
        Ticket t = holder.lease(1).tickets().get(0);
        Snapshot before = snapshot();
        assertThrows(NotLeasedException.class, () -> thief.report(SigningWorker.answer(t, "stolen")).orThrow());
        assertEquals(before, snapshot());
        assertEquals(ReportStatus.ACCEPTED, holder.report(SigningWorker.answer(t, "mine")).status());
        assertEquals(0.0, coordinator.leaderboard(LeaderboardScope.OWNER, null, 10).stream()
                .filter(e -> e.name().equals("mallory")).mapToDouble(e -> e.credit()).sum());
    }

    @Test
    void report_withWrongDigestSeedOrSize_isRejected_andChangesNothing() {
        SigningWorker w = worker("alice");
        submitOne(5);
        Ticket t = w.lease(1).tickets().get(0);
        Snapshot before = snapshot();
        ResultReport badDigest = new ResultReport(t.jobId(), t.replica(), t.seed(), "a".getBytes(StandardCharsets.UTF_8),
                "0".repeat(64), Map.of());
        ResultReport badSeed = ResultReport.of(t.jobId(), t.replica(), 6, new byte[] {1}, Map.of());
        ResultReport tooBig = ResultReport.of(t.jobId(), t.replica(), t.seed(), new byte[2000], Map.of());
        List<ReportOutcome> outcomes = w.report(List.of(badDigest, badSeed, tooBig));
        assertEquals(List.of(RejectionReason.DIGEST_MISMATCH, RejectionReason.SEED_MISMATCH, RejectionReason.TOO_LARGE),
                outcomes.stream().map(ReportOutcome::reason).toList());
        ResultRejectedException e = assertThrows(ResultRejectedException.class, outcomes.get(0)::orThrow);
        assertEquals(RejectionReason.DIGEST_MISMATCH, e.reason());
        assertEquals(before, snapshot());
        assertEquals(ReportStatus.ACCEPTED, w.report(SigningWorker.answer(t, "fine")).status());
    }

    @Test
    void report_invalidPerValidator_isRejected_countsAnAttempt_andGrantsNothing() {
        SigningWorker w = worker("alice");
        Job job = submitOne(1);
        Ticket t = w.lease(1).tickets().get(0);
        ResultReport bad = ResultReport.of(t.jobId(), t.replica(), t.seed(), new byte[] {1}, Map.of("turns", "9999"));
        ReportOutcome o = w.report(bad);
        assertEquals(RejectionReason.INVALID, o.reason());
        assertTrue(o.detail().contains("9999"), o.detail());
        Job after = coordinator.job(job.id()).orElseThrow();
        assertEquals(1, after.attempts());
        assertEquals(JobState.QUEUED, after.state());
        assertTrue(coordinator.leaderboard(LeaderboardScope.WORKER, null, 10).isEmpty());
    }

    @Test
    void leaderboard_windowPastTheLongest_isAnInvalidRequestNamingWindowAndLimit() {
        // Without the cap, now minus these windows is before Instant.MIN: a DateTimeException.
        for (Duration window : List.of(Duration.ofSeconds(Long.MAX_VALUE), Duration.ofDays(106_751_991_167_300L),
                Duration.ofDays(36_526))) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> coordinator.leaderboard(LeaderboardScope.OWNER, window, 10));
            assertTrue(e.getMessage().contains("window") && e.getMessage().contains("36525 days"), e.getMessage());
        }
        assertTrue(coordinator.leaderboard(LeaderboardScope.OWNER, Duration.ofDays(36_525), 10).isEmpty());
    }

    @Test
    void report_sameResultAgain_isAnIdempotentDuplicate() {
        SigningWorker w = worker("alice");
        submitOne(1);
        Ticket t = w.lease(1).tickets().get(0);
        ResultReport r = SigningWorker.answer(t, "x");
        assertEquals(ReportStatus.ACCEPTED, w.report(r).status());
        Snapshot before = snapshot();
        assertEquals(ReportStatus.DUPLICATE, w.report(r).status());
        assertEquals(before, snapshot());
        assertEquals(1, events.stream().filter(e -> e instanceof CoordinatorEvent.JobAccepted).count());
    }

    @Test
    void report_afterJobAccepted_withOtherAnswer_isRejected() {
        SigningWorker w = worker("alice");
        submitOne(1);
        Ticket t = w.lease(1).tickets().get(0);
        w.report(SigningWorker.answer(t, "x"));
        Snapshot before = snapshot();
        ReportOutcome late = w.report(SigningWorker.answer(t, "y"));
        assertEquals(RejectionReason.CONFLICTING_DUPLICATE, late.reason());
        assertEquals(before, snapshot());
    }

    // ------------------------------------------------------------------ leases, health, drain, ban

    @Test
    void housekeeping_expiresLeases_andFailsTheJobPastMaxAttempts() {
        SigningWorker w = worker("alice");
        Job job = coordinator.submit(List.of(echo(1).toBuilder().maxAttempts(2).build())).get(0);
        for (int attempt = 1; attempt <= 2; attempt++) {
            assertEquals(1, w.lease(1).tickets().size());
            clock.advance(Duration.ofSeconds(61));
            w.api().heartbeat(w.id());
            coordinator.runHousekeeping();
            assertEquals(attempt, coordinator.job(job.id()).orElseThrow().attempts());
        }
        Job failed = coordinator.job(job.id()).orElseThrow();
        assertEquals(JobState.FAILED, failed.state());
        assertTrue(failed.failureReason().contains("expired"), failed.failureReason());
        assertTrue(events.stream().anyMatch(e -> e instanceof CoordinatorEvent.JobFailed f
                && f.job().id().equals(job.id())));
    }

    @Test
    void housekeeping_degradesASilentWorker_thenTakesItOffline_andRequeuesItsLeasesAtOnce() {
        SigningWorker silent = worker("alice");
        SigningWorker other = worker("bob");
        Job job = coordinator.submit(List.of(echo(1).toBuilder().timeout(Duration.ofHours(1)).build())).get(0);
        assertEquals(1, silent.lease(1).tickets().size());
        clock.advance(Duration.ofSeconds(31));
        other.api().heartbeat(other.id());
        coordinator.runHousekeeping();
        assertEquals(WorkerState.DEGRADED, coordinator.worker(silent.id()).orElseThrow().state());
        assertEquals(WorkerState.ACTIVE, coordinator.worker(other.id()).orElseThrow().state());
        assertEquals(JobState.RUNNING, coordinator.job(job.id()).orElseThrow().state());

        clock.advance(Duration.ofSeconds(60));
        other.api().heartbeat(other.id());
        coordinator.runHousekeeping();
        assertEquals(WorkerState.OFFLINE, coordinator.worker(silent.id()).orElseThrow().state());
        assertEquals(JobState.QUEUED, coordinator.job(job.id()).orElseThrow().state(),
                "the lease returns long before its one-hour deadline");
        assertEquals(1, other.lease(1).tickets().size());

        silent.api().heartbeat(silent.id());
        assertEquals(WorkerState.ACTIVE, coordinator.worker(silent.id()).orElseThrow().state());
    }

    @Test
    void drain_stopsNewLeases_butHeldLeasesMayStillReport() {
        SigningWorker w = worker("alice");
        submitOne(1);
        submitOne(2);
        Ticket t = w.lease(1).tickets().get(0);
        coordinator.drain(w.id());
        assertTrue(w.lease(10).tickets().isEmpty());
        assertEquals(ReportStatus.ACCEPTED, w.report(SigningWorker.answer(t, "done")).status());
        assertEquals(WorkerState.DRAINING, coordinator.worker(w.id()).orElseThrow().state());
    }

    @Test
    void ban_returnsLeases_refusesTheWorker_andNotifies() {
        SigningWorker w = worker("mallory");
        SigningWorker good = worker("alice");
        submitOne(1);
        Ticket t = w.lease(1).tickets().get(0);
        coordinator.ban(w.id(), "returned forged results");
        assertThrows(WorkerBannedException.class, () -> w.lease(1));
        assertThrows(WorkerBannedException.class, () -> w.report(SigningWorker.answer(t, "x")));
        assertThrows(RegistrationRefusedException.class, w::register);
        assertEquals(1, good.lease(1).tickets().size());
        assertTrue(events.stream().anyMatch(e -> e instanceof CoordinatorEvent.WorkerBanned b && b.worker().equals(w.id())));
    }

    @Test
    void cancel_revokesLeases_andTheLateResultIsRejected() {
        SigningWorker w = worker("alice");
        Job job = submitOne(1);
        Ticket t = w.lease(1).tickets().get(0);
        assertEquals(JobState.CANCELLED, coordinator.cancel(job.id()).state());
        assertEquals(RejectionReason.NOT_LEASED, w.report(SigningWorker.answer(t, "x")).reason());
        assertThrows(dev.muster.spi.UnknownJobException.class, () -> coordinator.cancel(JobId.of(424242)));
    }

    // ------------------------------------------------------------------ listeners and lifecycle

    @Test
    void throwingListener_isIsolated_andDispatchGoesOn() {
        List<CoordinatorEvent> seen = new CopyOnWriteArrayList<>();
        try (Coordinator c = Coordinator.builder().clock(clock).store(new MemoryStore()).trustPolicy(allowlist)
                .validator(new EchoValidator()).housekeepingInterval(Duration.ZERO)
                .listener(e -> { throw new IllegalStateException("sink is down"); })
                .listener(seen::add).build()) {
            c.start();
            SigningWorker w = new SigningWorker(c, "alice");
            allowlist.allow(w.keys().getPublic());
            w.register();
            c.submit(List.of(echo(1), echo(2)));
            for (Ticket t : w.lease(2).tickets()) {
                assertEquals(ReportStatus.ACCEPTED, w.report(SigningWorker.answer(t, "ok")).status());
            }
            assertEquals(2, c.activity().listenerFailures());
            assertEquals(2, seen.stream().filter(e -> e instanceof CoordinatorEvent.JobAccepted).count());
            assertEquals(2L, c.summary().jobs().get(JobState.ACCEPTED));
        }
    }

    @Test
    void calls_beforeStartOrAfterStop_throwCoordinatorState() {
        Coordinator c = Coordinator.builder().store(new MemoryStore()).trustPolicy(allowlist)
                .validator(new EchoValidator()).housekeepingInterval(Duration.ZERO).build();
        assertThrows(CoordinatorStateException.class, () -> c.submit(List.of(echo(1))));
        c.start();
        assertFalse(c.submit(List.of(echo(1))).isEmpty());
        c.stop();
        assertThrows(CoordinatorStateException.class, c::summary);
        assertThrows(CoordinatorStateException.class, c::start);
    }
}
