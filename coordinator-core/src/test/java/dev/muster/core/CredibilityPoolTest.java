package dev.muster.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.core.policy.CredibilityPolicy;
import dev.muster.spi.Capabilities;
import dev.muster.spi.CoordinatorEvent;
import dev.muster.spi.Digests;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.Requirements;
import dev.muster.spi.ResultReport;
import dev.muster.spi.Ticket;
import dev.muster.spi.TicketRef;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import dev.muster.spi.policy.KeyTrust;
import dev.muster.spi.store.SpotCheck;
import dev.muster.spi.testkit.SettableClock;
import dev.muster.spi.testkit.SigningWorker;
import dev.muster.store.memory.MemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code credibility} policy in a running coordinator: what cheap identities can and cannot do. */
class CredibilityPoolTest {
    private static final long SEED = 20261124;
    private final List<CoordinatorEvent> events = new CopyOnWriteArrayList<>();
    private Coordinator coordinator;
    private SettableClock clock;
    private MemoryStore store;
    private int owners;

    @BeforeEach
    void open() {
        open(0.01);
    }

    /** Restarts the pool with spot-checks at {@code rate} of the work and no probation; choices seeded. */
    private void open(double spotCheckRate) {
        open(spotCheckRate, 0);
    }

    /** Restarts the pool with spot-checks at {@code rate} of the work; choices seeded. */
    private void open(double spotCheckRate, long probation) {
        if (coordinator != null) {
            coordinator.stop();
        }
        clock = new SettableClock(Instant.parse("2026-03-01T00:00:00Z"));
        store = new MemoryStore();
        coordinator = Coordinator.builder().clock(clock)
                .store(store).trustPolicy(new CredibilityPolicy(0.2, 1e-4, Map.of(), 100, 2, 30, 0.1,
                        spotCheckRate, probation, CredibilityPolicy.STRIKE_EXPIRY)).random(new Random(SEED))
                .validator(new EchoValidator()).listener(events::add).housekeepingInterval(Duration.ZERO).build();
        coordinator.start();
    }

    @AfterEach
    void stop() {
        coordinator.stop();
    }

    /** A fresh key under a fresh owner account: as cheap as open sign-up makes it. */
    private SigningWorker fresh() {
        return SigningWorker.ofNewAccount(coordinator, "owner-" + ++owners);
    }

    private Job submit(int maxAttempts) {
        return submit(maxAttempts, 7);
    }

    private Job submit(int maxAttempts, long seed) {
        return coordinator.submit(List.of(JobSpec.builder("echo", "deck A vs deck B".getBytes(StandardCharsets.UTF_8))
                .seed(seed).maxAttempts(maxAttempts).build())).get(0);
    }

    private static Ticket one(SigningWorker w) {
        List<Ticket> t = w.lease(1).tickets();
        assertEquals(1, t.size(), "worker " + w.owner() + " should get one ticket");
        return t.get(0);
    }

    /** Seven fresh keys, each under its own account, answer the next replica in turn: the cold-start bar. */
    private List<SigningWorker> sevenFreshKeysAnswer(String text) {
        List<SigningWorker> keys = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            SigningWorker w = fresh();
            keys.add(w);
            w.report(SigningWorker.answer(one(w), text));
        }
        return keys;
    }

    private Job job(Job j) {
        return coordinator.job(j.id()).orElseThrow();
    }

    @Test
    void twoFreshKeysWithTwoOwnerAccounts_cannotGetAMadeUpResultAccepted() {
        Job job = submit(3);
        SigningWorker m1 = fresh();
        SigningWorker m2 = fresh();
        Ticket t1 = one(m1);
        assertTrue(m2.lease(1).tickets().isEmpty(), "the second replica is issued only after the first answered");
        assertEquals(ReportStatus.RECORDED, m1.report(SigningWorker.answer(t1, "made up")).status());
        assertEquals(ReportStatus.RECORDED, m2.report(SigningWorker.answer(one(m2), "made up")).status());
        Job after = job(job);
        assertEquals(JobState.RUNNING, after.state());
        assertEquals(3, after.replicasWanted(), "two newcomers are far from the bar: a third replica is issued");
        assertTrue(coordinator.leaderboard(LeaderboardScope.OWNER, null, 10).isEmpty(), "nobody earned credit");
    }

    @Test
    void throwAwayKeysReportingGarbage_cannotFailAJob() {
        Job job = submit(3);
        for (int i = 0; i < 5; i++) {
            SigningWorker junk = fresh();
            Ticket t = one(junk);
            ResultReport garbage = ResultReport.of(t.jobId(), t.replica(), t.seed(), new byte[0], Map.of());
            assertEquals(ReportStatus.REJECTED, junk.report(garbage).status());
        }
        Job after = job(job);
        assertEquals(0, after.attempts(), "newcomers' invalid results spend no attempt");
        assertNotEquals(JobState.FAILED, after.state());
        SigningWorker honest = fresh();
        assertEquals(ReportStatus.RECORDED, honest.report(SigningWorker.answer(one(honest), "right")).status());
    }

    @Test
    void throwAwayKeysThatLeaseAndVanish_cannotFailAJob() {
        Job job = submit(3);
        for (int i = 0; i < 5; i++) {
            one(fresh());
            clock.advance(Duration.ofHours(1));
            coordinator.runHousekeeping();
        }
        Job after = job(job);
        assertEquals(0, after.attempts(), "newcomers' expired leases spend no attempt");
        assertEquals(JobState.QUEUED, after.state());
    }

    @Test
    void coldStart_sevenAgreeingOwners_acceptTheJob() {
        Job job = submit(3);
        List<ReportStatus> statuses = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            SigningWorker w = fresh();
            statuses.add(w.report(SigningWorker.answer(one(w), "right")).status());
        }
        assertEquals(ReportStatus.ACCEPTED, statuses.get(6));
        assertEquals(List.of(ReportStatus.RECORDED), statuses.subList(0, 6).stream().distinct().toList());
        assertEquals(Digests.sha256Hex("right".getBytes(StandardCharsets.UTF_8)), job(job).acceptedDigest());
    }

    @Test
    void banningAKeyTheAcceptanceReliedOn_retractsIt_tellsListeners_andReopensTheJob() {
        Job job = submit(3);
        List<SigningWorker> cartel = sevenFreshKeysAnswer("made up");
        assertEquals(JobState.ACCEPTED, job(job).state());
        String madeUp = job(job).acceptedDigest();

        coordinator.ban(cartel.get(0).id(), "caught on a spot-check");
        assertEquals(JobState.ACCEPTED, job(job).state(), "backtracking runs with housekeeping");
        coordinator.runHousekeeping();

        Job reopened = job(job);
        assertEquals(JobState.RUNNING, reopened.state());
        assertEquals(8, reopened.replicasWanted());
        CoordinatorEvent.JobRetracted retracted = events.stream()
                .filter(e -> e instanceof CoordinatorEvent.JobRetracted).map(CoordinatorEvent.JobRetracted.class::cast)
                .findFirst().orElseThrow();
        assertEquals(job.id(), retracted.job().id());
        assertEquals(madeUp, retracted.retractedDigest());
        assertTrue(retracted.reason().contains(cartel.get(0).id().value()), retracted.reason());
        assertTrue(coordinator.leaderboard(LeaderboardScope.OWNER, null, 10).isEmpty(), "the credit is revoked");
        assertEquals(WorkerState.BANNED, coordinator.worker(cartel.get(0).id()).orElseThrow().state());

        // Housekeeping again finds nothing left to take back.
        int before = events.size();
        coordinator.runHousekeeping();
        assertEquals(before, events.size());
        SigningWorker honest = fresh();
        assertInstanceOf(Ticket.class, one(honest), "the reopened job is leased again");
    }

    /** Keys thrown away on probation leave nothing to take back; hundreds of them must not hold back one that does. */
    @Test
    void aFloodOfBannedThrowAwayKeys_doesNotHoldBackTheBacktrackingOfAKeyThatMatters() {
        Job job = submit(3);
        List<SigningWorker> cartel = sevenFreshKeysAnswer("made up");
        assertEquals(JobState.ACCEPTED, job(job).state());
        for (int i = 0; i < 300; i++) {
            coordinator.ban(fresh().id(), "failed a spot-check on probation");
        }
        clock.advance(Duration.ofSeconds(1));
        coordinator.ban(cartel.get(0).id(), "caught on a spot-check");

        coordinator.runHousekeeping();

        assertEquals(JobState.RUNNING, job(job).state(), "retracted in the first round, behind 300 older bans");
        assertTrue(events.stream().anyMatch(e -> e instanceof CoordinatorEvent.JobRetracted r
                && r.job().id().equals(job.id())));
    }

    @Test
    void aSpotCheckWhoseSourceIsRetracted_liftsTheBanItCausedAnHonestKey() {
        open(0.5); // every accepted job is repeated as a spot-check
        Job job = submit(3);
        List<SigningWorker> cartel = sevenFreshKeysAnswer("made up");
        assertEquals(JobState.ACCEPTED, job(job).state(), "seven colluding newcomers meet the cold-start bar");
        Job check = coordinator.jobs(new JobQuery(SpotCheck.SUBMITTER, null, null, 0, 10)).get(0);

        SigningWorker honest = fresh();
        Ticket t = one(honest);
        assertEquals(check.id(), t.jobId());
        honest.report(SigningWorker.answer(t, "right"));
        assertTrue(coordinator.standing(honest.id()).banned(), "the known answer was wrong, so the right one failed");
        assertEquals(JobState.FAILED, job(check).state(), "it bans no other honest key");

        coordinator.ban(cartel.get(0).id(), "caught elsewhere");
        coordinator.runHousekeeping();
        assertEquals(JobState.RUNNING, job(job).state(), "six newcomers are short of the bar: retracted");
        KeyTrust lifted = coordinator.standing(honest.id());
        assertFalse(lifted.banned(), lifted.toString());
        assertEquals(WorkerState.ACTIVE, coordinator.worker(honest.id()).orElseThrow().state());
        assertEquals(job.id(), one(honest).jobId(), "it works again, on the reopened job");
    }

    @Test
    void aSpotCheckStillOpenWhenItsSourceIsRetracted_isCancelled() {
        open(0.5); // every accepted job is repeated as a spot-check
        Job job = submit(3);
        List<SigningWorker> cartel = sevenFreshKeysAnswer("made up");
        Job check = coordinator.jobs(new JobQuery(SpotCheck.SUBMITTER, null, null, 0, 10)).get(0);
        SigningWorker accomplice = fresh();
        accomplice.report(SigningWorker.answer(one(accomplice), "made up"));
        assertEquals(1, coordinator.standing(accomplice.id()).passed(), "it agreed with the wrong known answer");
        assertEquals(JobState.RUNNING, job(check).state(), "one newcomer's pass does not finish it");

        coordinator.ban(cartel.get(0).id(), "caught elsewhere");
        coordinator.runHousekeeping();
        assertEquals(JobState.RUNNING, job(job).state());
        assertEquals(JobState.CANCELLED, job(check).state(), "a check without a known answer is no check");
        assertTrue(fresh().lease(2).tickets().stream().noneMatch(t -> t.jobId().equals(check.id())));
    }

    @Test
    void spotChecks_repeatAcceptedJobs_unseenByTheirOwners_andAWrongAnswerBansTheKey() {
        open(0.5); // every accepted job is repeated as a spot-check
        Job job = submit(3);
        List<SigningWorker> answered = sevenFreshKeysAnswer("right");
        assertEquals(JobState.ACCEPTED, job(job).state());
        List<Job> checks = coordinator.jobs(new JobQuery(null, null, null, 0, 10)).stream()
                .filter(j -> SpotCheck.SUBMITTER.equals(j.spec().submitter())).toList();
        assertEquals(1, checks.size());
        Job check = checks.get(0);
        assertEquals(job.spec().seed(), check.spec().seed());
        assertNotEquals(job.id(), check.id());
        for (SigningWorker w : answered) {
            assertTrue(w.lease(1).tickets().isEmpty(), "owner " + w.owner() + " saw the seed");
        }

        SigningWorker honest = fresh();
        Ticket first = one(honest);
        assertEquals(check.id(), first.jobId());
        honest.report(SigningWorker.answer(first, "right"));
        assertEquals(1, coordinator.standing(honest.id()).passed(), "a right answer is a pass");

        Job other = submit(3, 8);
        // The cheat's owner account has a second key, with passes of its own.
        String cheatsSecret = coordinator.createOwner("cheats").secret();
        SigningWorker cheat = new SigningWorker(coordinator, "cheats").withOwnerSecret(cheatsSecret);
        cheat.register();
        SigningWorker sibling = new SigningWorker(coordinator, "cheats").withOwnerSecret(cheatsSecret);
        sibling.register();
        WorkerId siblingId = sibling.id();
        store.updateTrust(siblingId, t -> t.pass(clock.instant()).pass(clock.instant()));
        List<Ticket> held = cheat.lease(2).tickets();
        assertEquals(List.of(check.id(), other.id()), held.stream().map(Ticket::jobId).toList(),
                "after a pass the spot-check goes on like any job");
        cheat.report(SigningWorker.answer(held.get(0), "made up"));
        KeyTrust standing = coordinator.standing(cheat.id());
        assertTrue(standing.banned(), "a wrong answer to a spot-check bans");
        assertTrue(standing.banReason().contains("spot-check"), standing.banReason());
        assertTrue(events.stream().anyMatch(e -> e instanceof CoordinatorEvent.WorkerBanned b
                && b.worker().equals(cheat.id())));

        assertEquals(0, job(other).attempts(), "withdrawing a cheat's lease costs the job no attempt");
        assertEquals(0, coordinator.standing(siblingId).passed(), "the cheat's owner is tainted: its other key restarts");
        assertEquals(WorkerState.ACTIVE, coordinator.worker(siblingId).orElseThrow().state());
        assertEquals(JobState.FAILED, job(check).state(), "one wrong answer ends a spot-check");
        List<Ticket> next = fresh().lease(2).tickets();
        assertEquals(List.of(other.id()), next.stream().map(Ticket::jobId).toList(),
                "the cheat's other lease is back in the queue");
        assertTrue(events.stream().noneMatch(e -> e instanceof CoordinatorEvent.JobFailed f
                && f.job().id().equals(check.id())), "listeners never hear of spot-checks");
    }

    @Test
    void keysOnProbation_getSpotChecksFirst_andOrdinaryWorkOnlyWhenNoneWaits() {
        open(0.5, 2); // every accepted job is repeated; two passes end probation
        Set<JobId> sources = Set.of(submit(3, 6).id(), submit(3, 7).id());
        for (int i = 0; i < 7; i++) {
            SigningWorker w = fresh();
            List<Ticket> both = w.lease(2).tickets();
            assertEquals(sources, ids(both));
            w.report(SigningWorker.honestAnswers(both));
        }
        Set<JobId> checks = ids(coordinator.jobs(new JobQuery(SpotCheck.SUBMITTER, null, null, 0, 10)));
        assertEquals(2, checks.size());
        Set<JobId> ordinary = Set.of(submit(3, 8).id(), submit(3, 9).id());

        SigningWorker newcomer = fresh();
        List<Ticket> tested = newcomer.lease(4).tickets();
        assertEquals(checks, ids(tested), "on probation: the spot-checks alone, though ordinary jobs wait");
        assertEquals(ordinary, ids(fresh().lease(4).tickets()),
                "no spot-check waits for this key, so it gets ordinary work rather than nothing");

        JobId more = submit(3, 10).id();
        newcomer.api().release(newcomer.id(), List.of(new TicketRef(tested.get(0).jobId(), tested.get(0).replica())),
                ReleaseReason.NOT_RUN);
        SigningWorker past = fresh();
        store.updateTrust(past.id(), t -> t.pass(clock.instant()).pass(clock.instant()));
        assertEquals(Set.of(tested.get(0).jobId(), more), ids(past.lease(4).tickets()),
                "past probation: spot-checks and ordinary work alike");
    }

    private static Set<JobId> ids(List<?> ticketsOrJobs) {
        Set<JobId> out = new HashSet<>();
        for (Object o : ticketsOrJobs) {
            out.add(o instanceof Ticket t ? t.jobId() : ((Job) o).id());
        }
        return out;
    }

    @Test
    void jobsThatNeedARarePlatform_areNeverRepeatedAsSpotChecks() {
        open(0.5); // every other accepted job would be repeated
        Job rare = coordinator.submit(List.of(JobSpec.builder("echo", new byte[] {1}).seed(3)
                .requirements(new Requirements(0, 0, false, java.util.Set.of("rare"))).build())).get(0);
        for (int i = 0; i < 7; i++) {
            SigningWorker w = new SigningWorker(coordinator, "owner-" + ++owners)
                    .withOwnerSecret(coordinator.createOwner("owner-" + owners).secret());
            w.api().register(w.registration(new Capabilities(4, 4096, false, java.util.Set.of("rare")), "b", 4));
            w.report(SigningWorker.answer(one(w), "right"));
        }
        assertEquals(JobState.ACCEPTED, job(rare).state());
        assertTrue(coordinator.jobs(new JobQuery(SpotCheck.SUBMITTER, null, null, 0, 10)).isEmpty(),
                "a squatted class makes the weakest known answers");
    }

    @Test
    void submittersCannotPoseAsTheCoordinatorsSpotChecks() {
        JobSpec posing = JobSpec.builder("echo", new byte[] {1}).submitter(SpotCheck.SUBMITTER).build();
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> coordinator.submit(List.of(posing)));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
    }
}
