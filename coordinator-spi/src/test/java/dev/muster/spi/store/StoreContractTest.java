package dev.muster.spi.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.Capabilities;
import dev.muster.spi.CreditHistory;
import dev.muster.spi.Digests;
import dev.muster.spi.HourlyOutcomes;
import dev.muster.spi.IdempotencyConflictException;
import dev.muster.spi.InvalidRequestException;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.Keys;
import dev.muster.spi.LeaderboardEntry;
import dev.muster.spi.LeaderboardScope;
import dev.muster.spi.OpenJobs;
import dev.muster.spi.OwnerAccount;
import dev.muster.spi.OwnerState;
import dev.muster.spi.Rejection;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReleaseReason;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.Requirements;
import dev.muster.spi.ResultReport;
import dev.muster.spi.TicketRef;
import dev.muster.spi.Verdict;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerGroup;
import dev.muster.spi.WorkerId;
import dev.muster.spi.WorkerState;
import dev.muster.spi.policy.KeyTrust;
import dev.muster.spi.policy.TrustPolicy;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Store} must meet. A store module extends this class and implements
 * {@link #newStore()} and {@link #newStore(JobLifecycle)}; every test then runs against that store.
 *
 * <p>The tests are grouped by the store's roles, one {@link Nested} class each: {@link Workers},
 * {@link Submission}, {@link Leasing}, {@link Release}, {@link Results} (and the trust policy's
 * decisions), {@link Lifecycle}, {@link Credit}, {@link Rejections}, {@link Housekeeping} (expiry,
 * purge, silent workers), {@link Health} and {@link Concurrency}. The groups are nested rather than
 * separate abstract classes so that a store module still writes one subclass and cannot leave a
 * role out; a report reads {@code MyStoreContractTest > Leasing > lease_...}, and a store author
 * working on one role runs just that group.
 *
 * <p>After every test of every group the store's invariants are checked as well
 * ({@link StoreInvariants}, from this class's {@link AfterEach}, which JUnit runs around nested
 * tests too), so a test that leaves the store inconsistent fails even if what it asserted held.
 */
public abstract class StoreContractTest {
    /** Fixed start time; tests move time by passing later instants. */
    protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final PublicKey KEY = Keys.generate().getPublic();
    private static final Capabilities CAPS = Capabilities.of(4, 8192);

    /** The store under test; closed after each test. */
    protected Store store;
    private int workerSeq;

    /** Whether the test left the store open, so that its invariants can be checked. */
    private boolean checkInvariants = true;

    /** @return a fresh, empty store */
    protected abstract Store newStore();

    /** @return a fresh, empty store that applies {@code lifecycle}'s rules rather than the standard ones */
    protected abstract Store newStore(JobLifecycle lifecycle);

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        try {
            if (checkInvariants) {
                StoreInvariants.check(store);
            }
        } finally {
            store.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A registered worker with a made-up id (the store does not check ids against keys). */
    protected Worker worker(String owner, Capabilities caps, int maxLeases) {
        String id = String.format("%032x", ++workerSeq);
        Worker w = new Worker(new WorkerId(id), KEY, owner, caps, "build-1", maxLeases, WorkerState.ACTIVE, T0, T0);
        return store.saveWorker(w);
    }

    protected Worker worker(String owner) {
        return worker(owner, CAPS, 1000);
    }

    protected static JobSpec.Builder spec(long seed) {
        return JobSpec.builder("test", ("job " + seed).getBytes(StandardCharsets.UTF_8)).seed(seed)
                .timeout(Duration.ofSeconds(60));
    }

    protected static NewJob newJob(JobSpec spec, int replicas) {
        return new NewJob(spec, spec.contentDigest(), spec.payloadDigest(), replicas, T0);
    }

    protected List<Job> submit(int replicas, JobSpec... specs) {
        List<NewJob> batch = new ArrayList<>();
        for (JobSpec s : specs) {
            batch.add(newJob(s, replicas));
        }
        return store.submit(batch).stream().map(Submitted::job).toList();
    }

    protected List<LeasedJob> lease(Worker w, int max, boolean distinctOwners, Instant now) {
        return store.lease(new LeaseRequest(w.id(), w.owner(), w.capabilities(), max, w.maxConcurrentLeases(),
                Integer.MAX_VALUE, distinctOwners, now));
    }

    protected static ResultRecord result(LeasedJob l, String answer) {
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        return new ResultRecord(ResultReport.of(l.lease().jobId(), l.lease().replica(), l.job().spec().seed(), bytes,
                Map.of()), Verdict.ok(), 1.0);
    }

    protected ResultOutcome report(Worker w, ResultRecord r, TrustPolicy policy, Instant now) {
        return store.recordResults(w, List.of(r), now, policy).get(0);
    }

    private Job job(JobId id) {
        return store.job(id).orElseThrow();
    }

    private static TicketRef ref(LeasedJob l) {
        return new TicketRef(l.lease().jobId(), l.lease().replica());
    }

    /** A lifecycle whose jobs fail at their first failed attempt, whatever their maxAttempts. */
    private static final class FailFast extends JobLifecycle {
        @Override
        protected boolean attemptsExhausted(JobRecord job) {
            return job.attempts() >= 1;
        }
    }

    /** Registering, heartbeats and state changes of workers, and listing them. */
    @Nested
    class Workers {
        @Test
        void allowKey_addsAndRemovesKeysOfTheAllowlist_andSaysWhetherItChangedIt() {
            PublicKey a = Keys.generate().getPublic();
            PublicKey b = Keys.generate().getPublic();
            assertFalse(store.isAllowed(WorkerId.of(a)));
            assertTrue(store.allowKey(a));
            assertFalse(store.allowKey(a), "listed already");
            assertTrue(store.isAllowed(WorkerId.of(a)));
            assertFalse(store.isAllowed(WorkerId.of(b)));
            assertFalse(store.revokeKey(WorkerId.of(b)), "not listed");
            assertTrue(store.revokeKey(WorkerId.of(a)));
            assertFalse(store.isAllowed(WorkerId.of(a)));
        }

        @Test
        void workers_touchAndStateChangesAreStored() {
            Worker w = worker("alice");
            assertTrue(store.touch(w.id(), T0.plusSeconds(5)));
            assertEquals(T0.plusSeconds(5), store.worker(w.id()).orElseThrow().lastSeen());
            assertEquals(WorkerState.DRAINING,
                    store.setWorkerState(w.id(), WorkerState.DRAINING).orElseThrow().state());
            assertFalse(store.touch(new WorkerId("f".repeat(32)), T0));
            assertEquals(List.of(), store.silentWorkers(WorkerState.ACTIVE, T0.plusSeconds(60), 10));
            assertEquals(1, store.silentWorkers(WorkerState.DRAINING, T0.plusSeconds(60), 10).size());
            assertEquals(1L, store.summary().workers().get(WorkerState.DRAINING));
        }

        /**
         * {@link Store#workers} pages through every worker in id order (the invariant check and the
         * admin listing both rely on it), and saving a worker again replaces what was stored.
         */
        @Test
        void workers_areListedInIdOrder_aPageAtATime_andSavingAgainReplaces() {
            List<WorkerId> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(worker("owner-" + i).id());
            }
            ids.sort(java.util.Comparator.comparing(WorkerId::value));
            assertEquals(ids, store.workers(null, 10).stream().map(Worker::id).toList());
            assertEquals(ids.subList(2, 4), store.workers(ids.get(1), 2).stream().map(Worker::id).toList());
            assertTrue(store.workers(ids.get(4), 10).isEmpty());
            Worker before = store.worker(ids.get(3)).orElseThrow();
            Worker changed = new Worker(before.id(), before.publicKey(), "zoe",
                    new Capabilities(16, 65536, true, Set.of("os:linux")), "build-2", 7, WorkerState.DRAINING, T0,
                    T0.plusSeconds(9));
            assertEquals(changed, store.saveWorker(changed));
            assertEquals(changed, store.worker(before.id()).orElseThrow());
            assertEquals(5, store.workers(null, 10).size(), "replaced, not added");
            assertEquals(1L, store.summary().workers().get(WorkerState.DRAINING));
        }
    }

    /**
     * Storing jobs (atomically, deduplicated per submitter, idempotent by key) and reading
     * them back: one by one, listed with filters and a cursor, and many ids at once.
     */
    @Nested
    class Submission {
        @Test
        void releaseLeases_thatCountAnAttempt_keepTheWorkersReason_whenTheJobFails() {
            Job job = submit(1, spec(1).maxAttempts(1).build()).get(0);
            Worker w = worker("alice");
            LeasedJob l = lease(w, 1, false, T0).get(0);
            store.releaseLeases(w.id(), List.of(ref(l)), T0.plusSeconds(1), ReleaseReason.FAILED,
                    "payload is not a deck list");
            Job failed = job(job.id());
            assertEquals(JobState.FAILED, failed.state());
            assertTrue(failed.failureReason().endsWith(
                    "could not run it; the worker reports: \"payload is not a deck list\""),
                    failed.failureReason());
        }

        @Test
        void submit_keepsTheTraceContext_forLeasesAndReads() {
            String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
            Job job = submit(1, spec(1).traceparent(trace).build(), spec(2).build()).get(0);
            assertEquals(trace, job(job.id()).spec().traceparent());
            List<LeasedJob> leased = lease(worker("alice"), 2, false, T0);
            assertEquals(trace, leased.get(0).job().spec().traceparent());
            assertNull(leased.get(1).job().spec().traceparent());
        }

        @Test
        void submit_assignsDistinctIds_andQueuesJobs() {
            List<Job> jobs = submit(1, spec(1).build(), spec(2).build());
            assertNotEquals(jobs.get(0).id(), jobs.get(1).id());
            assertEquals(JobState.QUEUED, jobs.get(0).state());
            assertEquals(jobs.get(0), job(jobs.get(0).id()));
            assertEquals(2L, store.summary().jobs().get(JobState.QUEUED));
        }

        @Test
        void submit_withSameIdempotencyKey_returnsExistingJob() {
            Job first = submit(1, spec(1).idempotencyKey("k1").build()).get(0);
            List<Submitted> again = store.submit(List.of(newJob(spec(1).idempotencyKey("k1").build(), 1)));
            assertFalse(again.get(0).created());
            assertEquals(first.id(), again.get(0).job().id());
            assertEquals(1L, store.summary().jobs().get(JobState.QUEUED));
        }

        @Test
        void submit_withoutKey_dedupesIdenticalContentPerSubmitter() {
            Job first = submit(1, spec(7).build()).get(0);
            Job same = submit(1, spec(7).build()).get(0);
            Job otherSubmitter = submit(1, spec(7).submitter("bob").build()).get(0);
            assertEquals(first.id(), same.id());
            assertNotEquals(first.id(), otherSubmitter.id());
        }

        @Test
        void submit_duplicatesWithinOneBatch_storeOneJob() {
            List<Job> jobs = submit(1, spec(3).build(), spec(3).build());
            assertEquals(jobs.get(0).id(), jobs.get(1).id());
            assertEquals(1L, store.summary().jobs().get(JobState.QUEUED));
        }

        @Test
        void submit_whenKeyIsReusedForOtherContent_throwsAndStoresNothingOfTheBatch() {
            submit(1, spec(1).idempotencyKey("k1").build());
            List<NewJob> batch = List.of(newJob(spec(50).build(), 1), newJob(spec(2).idempotencyKey("k1").build(), 1));
            assertThrows(IdempotencyConflictException.class, () -> store.submit(batch));
            assertEquals(1L, store.summary().jobs().get(JobState.QUEUED));
        }

        @Test
        void jobs_listsInIdOrder_withFiltersAndACursor() {
            JobSpec other = JobSpec.builder("other", new byte[] {3}).seed(3).build();
            List<Job> mine = submit(1, spec(1).build(), spec(2).build(), other);
            submit(1, spec(4).submitter("bob").build());
            store.cancel(mine.get(1).id(), T0, "test");
            List<Job> all = store.jobs(new dev.muster.spi.JobQuery(null, null, null, 0, 10));
            assertEquals(4, all.size());
            assertTrue(all.get(0).id().compareTo(all.get(1).id()) < 0);
            assertEquals(List.of(mine.get(0).id(), mine.get(2).id()), store.jobs(
                    new dev.muster.spi.JobQuery("anonymous", JobState.QUEUED, null, 0, 10)).stream().map(Job::id)
                    .toList());
            assertEquals(List.of(mine.get(2).id()), store.jobs(
                    new dev.muster.spi.JobQuery(null, null, "other", 0, 10)).stream().map(Job::id).toList());
            List<Job> page1 = store.jobs(new dev.muster.spi.JobQuery(null, null, null, 0, 2));
            List<Job> page2 = store.jobs(new dev.muster.spi.JobQuery(null, null, null, page1.get(1).id().value(), 2));
            assertEquals(2, page2.size());
            assertTrue(store.jobs(new dev.muster.spi.JobQuery(null, null, null, page2.get(1).id().value(), 2))
                    .isEmpty());
        }

        @Test
        void jobsById_returnsEveryStoredJobAsJobDoes_andLeavesOutUnknownIds() {
            List<Job> jobs = submit(1, spec(1).build(), spec(2).build());
            lease(worker("alice"), 1, false, T0);
            JobId unknown = new JobId(jobs.get(1).id().value() + 1_000);
            Map<JobId, Job> found = store.jobsById(List.of(jobs.get(0).id(), jobs.get(1).id(), unknown));
            assertEquals(Set.of(jobs.get(0).id(), jobs.get(1).id()), found.keySet());
            assertEquals(job(jobs.get(0).id()), found.get(jobs.get(0).id()));
            assertEquals(job(jobs.get(1).id()), found.get(jobs.get(1).id()));
            assertTrue(store.jobsById(List.of()).isEmpty());
        }

        /**
         * A batch of reports reads its jobs in one call: a job in any state comes back exactly as
         * {@link Store#job} and {@link Store#jobs} return it, an id asked twice is answered once,
         * and more ids than one page of {@link Store#jobs} are answered whole.
         */
        @Test
        void jobsById_answersForEveryState_onceForAnIdAskedTwice_andForMoreThanAPage() {
            TrustPolicy policy = TestPolicies.firstValid();
            List<Job> jobs = submit(1, spec(1).build(), spec(2).build(), spec(3).build(),
                    spec(4).maxAttempts(1).build());
            Worker w = worker("alice");
            Map<JobId, LeasedJob> byJob = new java.util.HashMap<>();
            lease(w, 4, false, T0).forEach(l -> byJob.put(l.lease().jobId(), l));
            assertEquals(ReportStatus.ACCEPTED,
                    report(w, result(byJob.get(jobs.get(0).id()), "42"), policy, T0.plusSeconds(1)).status());
            store.cancel(jobs.get(2).id(), T0.plusSeconds(2), "test");
            store.releaseLeases(w.id(), List.of(ref(byJob.get(jobs.get(3).id()))), T0.plusSeconds(3),
                    ReleaseReason.FAILED, null);
            JobId queued = submit(1, spec(5).build()).get(0).id();

            List<JobId> asked = new ArrayList<>();
            jobs.forEach(j -> asked.add(j.id()));
            asked.add(queued);
            asked.add(jobs.get(1).id());
            asked.add(queued);
            Map<JobId, Job> found = store.jobsById(asked);
            assertEquals(5, found.size());
            Set<JobState> states = new HashSet<>();
            for (JobId id : asked) {
                assertEquals(job(id), found.get(id), "job " + id);
                states.add(found.get(id).state());
            }
            assertEquals(Set.of(JobState.ACCEPTED, JobState.RUNNING, JobState.CANCELLED, JobState.FAILED,
                    JobState.QUEUED), states);
            assertEquals(Digests.sha256Hex("42".getBytes(StandardCharsets.UTF_8)),
                    found.get(jobs.get(0).id()).acceptedDigest());

            List<NewJob> more = new ArrayList<>();
            for (int i = 0; i < 1_200; i++) {
                more.add(newJob(spec(100 + i).build(), 1));
            }
            store.submit(more);
            Map<JobId, Job> listed = new java.util.HashMap<>();
            StoreInvariants.allJobs(store).forEach(j -> listed.put(j.id(), j));
            assertEquals(1_205, listed.size());
            assertEquals(listed, store.jobsById(listed.keySet()));
        }
    }

    /**
     * Handing queued jobs to a worker: in priority order and fair between submitters, only
     * to workers that meet their requirements, within the worker's and the owner's limits, and
     * never two replicas of one job to one worker (or one owner, when owners must differ).
     */
    @Nested
    class Leasing {
        @Test
        void lease_takesHigherPriorityFirst_thenFifo() {
            List<Job> jobs = submit(1, spec(1).build(), spec(2).priority(5).build(), spec(3).build(),
                    spec(4).priority(5).build());
            Worker w = worker("alice");
            List<JobId> order = lease(w, 10, false, T0).stream().map(l -> l.lease().jobId()).toList();
            assertEquals(List.of(jobs.get(1).id(), jobs.get(3).id(), jobs.get(0).id(), jobs.get(2).id()), order);
        }

        @Test
        void lease_alternatesBetweenSubmitters_soABigBatchDoesNotStarveOthers() {
            List<JobSpec> specs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                specs.add(spec(i).submitter("big").build());
            }
            specs.add(spec(1000).submitter("small").build());
            submit(1, specs.toArray(new JobSpec[0]));
            List<LeasedJob> first = lease(worker("alice"), 2, false, T0);
            Set<String> submitters = new HashSet<>();
            first.forEach(l -> submitters.add(l.job().spec().submitter()));
            assertEquals(Set.of("big", "small"), submitters);
        }

        @Test
        void lease_onlyGivesJobsWhoseRequirementsTheWorkerMeets() {
            Job gpuJob = submit(1, spec(1).requirements(new Requirements(0, 0, true, Set.of())).build()).get(0);
            Job tierJob = submit(1, spec(2).requirements(new Requirements(2, 1024, false, Set.of("tier:gold"))).build())
                    .get(0);
            Worker plain = worker("alice", Capabilities.of(8, 16384), 100);
            assertTrue(lease(plain, 10, false, T0).isEmpty());
            Worker gold = worker("bob", new Capabilities(2, 2048, false, Set.of("tier:gold", "os:linux")), 100);
            assertEquals(List.of(tierJob.id()),
                    lease(gold, 10, false, T0).stream().map(l -> l.lease().jobId()).toList());
            Worker gpu = worker("carol", new Capabilities(1, 512, true, Set.of()), 100);
            assertEquals(List.of(gpuJob.id()), lease(gpu, 10, false, T0).stream().map(l -> l.lease().jobId()).toList());
        }

        @Test
        void lease_respectsWorkerLimitCountingLeasesAlreadyHeld() {
            for (int i = 0; i < 10; i++) {
                submit(1, spec(i).build());
            }
            Worker w = worker("alice", CAPS, 3);
            assertEquals(2, lease(w, 2, false, T0).size());
            assertEquals(1, lease(w, 10, false, T0).size());
            assertEquals(0, lease(w, 10, false, T0).size());
            assertEquals(3, store.leases(w.id()).size());
        }

        @Test
        void lease_respectsOwnerLimitAcrossTheOwnersWorkers() {
            for (int i = 0; i < 10; i++) {
                submit(1, spec(i).build());
            }
            Worker a = worker("alice");
            Worker b = worker("alice");
            LeaseRequest ra = new LeaseRequest(a.id(), "alice", CAPS, 10, 100, 4, false, T0);
            LeaseRequest rb = new LeaseRequest(b.id(), "alice", CAPS, 10, 100, 4, false, T0);
            assertEquals(4, store.lease(ra).size());
            assertEquals(0, store.lease(rb).size());
        }

        @Test
        void lease_neverGivesOneWorkerTwoReplicasOfOneJob() {
            Job job = submit(3, spec(1).build()).get(0);
            Worker w = worker("alice");
            List<LeasedJob> got = lease(w, 10, false, T0);
            assertEquals(1, got.size());
            assertEquals(job.id(), got.get(0).lease().jobId());
            assertEquals(1, lease(worker("alice"), 10, false, T0).size(), "another worker of the same owner may");
        }

        @Test
        void lease_withDistinctOwners_neverGivesOneOwnerTwoReplicasOfOneJob() {
            submit(2, spec(1).build());
            Worker a1 = worker("alice");
            Worker a2 = worker("alice");
            Worker b = worker("bob");
            assertEquals(1, lease(a1, 10, true, T0).size());
            assertEquals(0, lease(a2, 10, true, T0).size());
            assertEquals(1, lease(b, 10, true, T0).size());
        }

        @Test
        void lease_afterOwnerAnswered_doesNotGiveTheOwnerAnotherReplica() {
            TrustPolicy policy = TestPolicies.agreement(2, 2, 4);
            submit(2, spec(1).build());
            Worker a1 = worker("alice");
            LeasedJob l = lease(a1, 1, true, T0).get(0);
            assertEquals(ReportStatus.RECORDED, report(a1, result(l, "x"), policy, T0).status());
            assertEquals(0, lease(worker("alice"), 10, true, T0).size());
        }

        @Test
        void lease_setsDeadlineFromJobTimeout_andMarksJobRunning() {
            Job job = submit(1, spec(1).timeout(Duration.ofSeconds(30)).build()).get(0);
            LeasedJob l = lease(worker("alice"), 1, false, T0).get(0);
            assertEquals(T0.plusSeconds(30), l.lease().deadline());
            assertEquals(JobState.RUNNING, job(job.id()).state());
        }
    }

    /**
     * Ending leases before their deadline: a worker that goes away, a worker that gives
     * tickets back (unrun, or failed), and a job cancelled while leased.
     */
    @Nested
    class Release {
        @Test
        void releaseLeases_returnsAllOfAWorkersLeasesToTheQueue() {
            submit(1, spec(1).build(), spec(2).build());
            Worker w = worker("alice");
            assertEquals(2, lease(w, 10, false, T0).size());
            assertEquals(2, store.releaseLeases(w.id(), T0, "offline").size());
            assertTrue(store.leases(w.id()).isEmpty());
            assertEquals(2, lease(worker("bob"), 10, false, T0).size());
        }

        @Test
        void releaseListed_notRun_requeuesOnlyThoseLeases_withoutCountingAnAttempt() {
            submit(1, spec(1).build(), spec(2).build(), spec(3).build());
            Worker w = worker("alice");
            List<LeasedJob> held = lease(w, 3, false, T0);
            assertEquals(3, held.size());
            List<Released> released = store.releaseLeases(w.id(), List.of(ref(held.get(2)), ref(held.get(0))),
                    T0.plusSeconds(1), ReleaseReason.NOT_RUN, null);
            assertEquals(List.of(held.get(2).lease().jobId(), held.get(0).lease().jobId()),
                    released.stream().map(r -> r.lease().jobId()).toList(), "released in the order listed");
            for (Released r : released) {
                assertEquals(0, job(r.lease().jobId()).attempts(), "an unrun ticket costs no attempt");
                assertEquals(JobState.QUEUED, job(r.lease().jobId()).state());
            }
            assertEquals(List.of(held.get(1).lease().jobId()),
                    store.leases(w.id()).stream().map(Lease::jobId).toList(), "the unlisted lease is kept");
            Set<JobId> again = new HashSet<>();
            lease(worker("bob"), 10, false, T0.plusSeconds(2)).forEach(l -> again.add(l.lease().jobId()));
            assertEquals(Set.of(held.get(0).lease().jobId(), held.get(2).lease().jobId()), again);
            assertEquals(3, store.summary().activeLeases(), "alice's one lease and bob's two");
        }

        @Test
        void releaseListed_failed_countsAnAttempt_andFailsTheJobWhenAttemptsRunOut() {
            Job job = submit(1, spec(1).maxAttempts(2).build()).get(0);
            LeasedJob first = lease(worker("w1"), 1, false, T0).get(0);
            List<Released> r1 = store.releaseLeases(first.lease().worker(), List.of(ref(first)), T0,
                    ReleaseReason.FAILED, null);
            assertEquals(1, r1.size());
            assertEquals(JobState.QUEUED, r1.get(0).job().state());
            assertEquals(1, job(job.id()).attempts());
            LeasedJob second = lease(worker("w2"), 1, false, T0).get(0);
            List<Released> r2 = store.releaseLeases(second.lease().worker(), List.of(ref(second)), T0,
                    ReleaseReason.FAILED, null);
            assertEquals(JobState.FAILED, r2.get(0).job().state());
            Job failed = job(job.id());
            assertEquals(JobState.FAILED, failed.state());
            assertTrue(failed.failureReason().contains("attempts exhausted"), failed.failureReason());
            assertTrue(failed.failureReason().contains(ReleaseReason.FAILED.description()), failed.failureReason());
            assertTrue(lease(worker("late"), 1, false, T0).isEmpty());
        }

        @Test
        void releaseListed_skipsWhatTheWorkerDoesNotHoldLive_andChangesNothingForIt() {
            TrustPolicy policy = TestPolicies.agreement(2, 2, 4);
            submit(2, spec(1).build());
            submit(1, spec(2).timeout(Duration.ofSeconds(10)).build());
            Worker a = worker("alice");
            Worker b = worker("bob");
            List<LeasedJob> mine = lease(a, 2, false, T0);
            LeasedJob theirs = lease(b, 1, false, T0).get(0);
            LeasedJob answered = mine.stream().filter(l -> l.job().spec().seed() == 1).findFirst().orElseThrow();
            LeasedJob shortLease = mine.stream().filter(l -> l.job().spec().seed() == 2).findFirst().orElseThrow();
            assertEquals(ReportStatus.RECORDED, report(a, result(answered, "42"), policy, T0).status());
            Instant later = T0.plusSeconds(11);
            List<Released> released = store.releaseLeases(a.id(), List.of(
                    ref(theirs),                                                 // bob's lease
                    ref(answered),                                               // answered already
                    new TicketRef(theirs.lease().jobId(), 99),                   // no such replica
                    new TicketRef(JobId.of(987_654), 0),                         // no such job
                    ref(shortLease)), later, ReleaseReason.FAILED, null);              // past its deadline
            assertTrue(released.isEmpty(), released.toString());
            assertEquals(List.of(theirs.lease()), store.leases(b.id()), "bob keeps his lease");
            assertEquals(0, job(theirs.lease().jobId()).attempts());
            assertEquals(0, job(answered.lease().jobId()).attempts());
            assertEquals(0, job(shortLease.lease().jobId()).attempts(), "an expired lease is for the sweep to end");
            assertEquals(1, store.expireLeases(later, 100).size());
            assertEquals(1, job(shortLease.lease().jobId()).attempts());
        }

        @Test
        void releaseListed_sameTicketTwice_releasesItOnce() {
            Job job = submit(1, spec(1).build()).get(0);
            Worker w = worker("alice");
            LeasedJob l = lease(w, 1, false, T0).get(0);
            assertEquals(1, store.releaseLeases(w.id(), List.of(ref(l), ref(l)), T0, ReleaseReason.FAILED, null).size());
            assertEquals(1, job(job.id()).attempts());
            assertEquals(0, store.summary().activeLeases());
        }

        @Test
        void cancel_revokesLeases_andLaterResultsAreRejected() {
            TrustPolicy policy = TestPolicies.firstValid();
            Job job = submit(1, spec(1).build()).get(0);
            Worker w = worker("alice");
            LeasedJob l = lease(w, 1, false, T0).get(0);
            assertEquals(JobState.CANCELLED, store.cancel(job.id(), T0, "not needed").orElseThrow().state());
            assertTrue(store.leases(w.id()).isEmpty());
            assertEquals(RejectionReason.NOT_LEASED, report(w, result(l, "42"), policy, T0).reason());
            assertTrue(store.cancel(JobId.of(987_654), T0, "x").isEmpty());
        }
    }

    /**
     * Recording results and applying the trust policy's decision: accept and credit every
     * agreeing replica, add a replica on disagreement and outvote the odd one out, fail at the cap;
     * duplicates, conflicts, strangers' and invalid results.
     */
    @Nested
    class Results {
        /**
         * A worker asking right after a result must not get the replica the policy added for that
         * job: that is how a cartel timing its leases would answer every replica of a job.
         */
        @Test
        void recordResults_replicasAddedForAgreement_waitBehindTheSubmittersWaitingJobs() {
            TrustPolicy policy = TestPolicies.agreement(1, 2, 3);
            List<Job> jobs = submit(1, spec(1).build(), spec(2).build(), spec(3).build());
            Worker alice = worker("alice");
            LeasedJob first = lease(alice, 1, true, T0).get(0);
            assertEquals(jobs.get(0).id(), first.job().id());
            report(alice, result(first, "42"), policy, T0.plusSeconds(1));
            assertEquals(2, job(jobs.get(0).id()).replicasWanted(), "one result does not decide");

            List<LeasedJob> next = lease(worker("bob"), 3, true, T0.plusSeconds(1));
            assertEquals(List.of(jobs.get(1).id(), jobs.get(2).id(), jobs.get(0).id()),
                    next.stream().map(l -> l.job().id()).toList(), "the added replica comes last");
        }

        /** Nobody chose when a lease was lost, so its replica may be retried first. */
        @Test
        void releaseLeases_aLostLeasesReplica_isRetriedFirst() {
            List<Job> jobs = submit(1, spec(1).build(), spec(2).build(), spec(3).build());
            Worker alice = worker("alice");
            LeasedJob first = lease(alice, 1, true, T0).get(0);
            store.releaseLeases(alice.id(), List.of(ref(first)), T0.plusSeconds(1), ReleaseReason.NOT_RUN, null);

            List<LeasedJob> next = lease(worker("bob"), 3, true, T0.plusSeconds(1));
            assertEquals(List.of(jobs.get(0).id(), jobs.get(1).id(), jobs.get(2).id()),
                    next.stream().map(l -> l.job().id()).toList());
        }

        @Test
        void recordResults_withFirstValidPolicy_acceptsAndCreditsOnce() {
            TrustPolicy policy = TestPolicies.firstValid();
            Job job = submit(1, spec(1).build()).get(0);
            Worker w = worker("alice");
            LeasedJob l = lease(w, 1, false, T0).get(0);
            ResultOutcome o = report(w, result(l, "42"), policy, T0.plusSeconds(1));
            assertEquals(ReportStatus.ACCEPTED, o.status());
            assertTrue(o.finishedNow());
            assertEquals(1, o.credits().size());
            assertEquals("42", new String(o.acceptedResult(), StandardCharsets.UTF_8));
            Job accepted = job(job.id());
            assertEquals(JobState.ACCEPTED, accepted.state());
            assertEquals(Digests.sha256Hex("42".getBytes(StandardCharsets.UTF_8)), accepted.acceptedDigest());
            assertEquals(1, store.credits(job.id()).size());
            assertTrue(store.leases(w.id()).isEmpty());
        }

        @Test
        void recordResults_sameResultTwice_isAnIdempotentDuplicate() {
            TrustPolicy policy = TestPolicies.firstValid();
            Job job = submit(1, spec(1).build()).get(0);
            Worker w = worker("alice");
            LeasedJob l = lease(w, 1, false, T0).get(0);
            report(w, result(l, "42"), policy, T0);
            ResultOutcome again = report(w, result(l, "42"), policy, T0);
            assertEquals(ReportStatus.DUPLICATE, again.status());
            assertEquals(1, store.credits(job.id()).size());
            assertEquals(1, store.leaderboard(LeaderboardScope.WORKER, null, 10).get(0).results());
        }

        @Test
        void recordResults_differentResultForAnsweredReplica_isRejectedAsConflict() {
            TrustPolicy policy = TestPolicies.firstValid();
            Job job = submit(1, spec(1).build()).get(0);
            Worker w = worker("alice");
            LeasedJob l = lease(w, 1, false, T0).get(0);
            report(w, result(l, "42"), policy, T0);
            ResultOutcome o = report(w, result(l, "43"), policy, T0);
            assertEquals(RejectionReason.CONFLICTING_DUPLICATE, o.reason());
            assertEquals(Digests.sha256Hex("42".getBytes(StandardCharsets.UTF_8)), job(job.id()).acceptedDigest());
        }

        @Test
        void recordResults_forAnotherWorkersLease_isRejectedAndChangesNothing() {
            TrustPolicy policy = TestPolicies.firstValid();
            Job job = submit(1, spec(1).build()).get(0);
            Worker holder = worker("alice");
            Worker thief = worker("mallory");
            LeasedJob l = lease(holder, 1, false, T0).get(0);
            ResultOutcome o = report(thief, result(l, "forged"), policy, T0);
            assertEquals(RejectionReason.NOT_LEASED, o.reason());
            assertEquals(JobState.RUNNING, job(job.id()).state());
            assertEquals(1, store.leases(holder.id()).size());
            assertEquals(ReportStatus.ACCEPTED, report(holder, result(l, "42"), policy, T0).status());
        }

        @Test
        void recordResults_forUnknownJob_isRejected() {
            Worker w = worker("alice");
            ResultRecord r = new ResultRecord(ResultReport.of(JobId.of(999_999), 0, 0, new byte[1], Map.of()),
                    Verdict.ok(), 1);
            assertEquals(RejectionReason.NOT_LEASED, report(w, r, TestPolicies.firstValid(), T0).reason());
        }

        @Test
        void recordResults_invalidVerdict_countsAnAttemptAndRequeues() {
            TrustPolicy policy = TestPolicies.firstValid();
            Job job = submit(1, spec(1).maxAttempts(3).build()).get(0);
            Worker w = worker("alice");
            LeasedJob l = lease(w, 1, false, T0).get(0);
            ResultRecord bad = new ResultRecord(result(l, "junk").report(), Verdict.invalid("turn count 0"), 1);
            ResultOutcome o = report(w, bad, policy, T0);
            assertEquals(RejectionReason.INVALID, o.reason());
            assertEquals(1, job(job.id()).attempts());
            assertTrue(store.credits(job.id()).isEmpty());
            assertTrue(lease(w, 1, false, T0).isEmpty(), "the worker that answered gets no second replica");
            assertEquals(1, lease(worker("bob"), 1, false, T0).size());
        }

        @Test
        void recordResults_withAgreement_acceptsWhenReplicasAgree_andCreditsEach() {
            TrustPolicy policy = TestPolicies.agreement(2, 2, 4);
            Job job = submit(2, spec(1).build()).get(0);
            Worker a = worker("alice");
            Worker b = worker("bob");
            LeasedJob la = lease(a, 1, true, T0).get(0);
            LeasedJob lb = lease(b, 1, true, T0).get(0);
            assertEquals(ReportStatus.RECORDED, report(a, result(la, "42"), policy, T0).status());
            ResultOutcome o = report(b, result(lb, "42"), policy, T0);
            assertEquals(ReportStatus.ACCEPTED, o.status());
            assertEquals(2, o.credits().size());
            assertEquals(JobState.ACCEPTED, job(job.id()).state());
            List<LeaderboardEntry> owners = store.leaderboard(LeaderboardScope.OWNER, null, 10);
            assertEquals(List.of("alice", "bob"), owners.stream().map(LeaderboardEntry::name).toList());
        }

        @Test
        void recordResults_onDisagreement_addsAReplica_andOutvotesTheOddOneOut() {
            TrustPolicy policy = TestPolicies.agreement(2, 2, 4);
            Job job = submit(2, spec(1).build()).get(0);
            Worker honest1 = worker("alice");
            Worker cheat = worker("mallory");
            Worker honest2 = worker("carol");
            LeasedJob l1 = lease(honest1, 1, true, T0).get(0);
            LeasedJob l2 = lease(cheat, 1, true, T0).get(0);
            report(honest1, result(l1, "42"), policy, T0);
            ResultOutcome disagreement = report(cheat, result(l2, "41"), policy, T0);
            assertEquals(ReportStatus.RECORDED, disagreement.status());
            assertEquals(3, disagreement.job().replicasWanted());
            LeasedJob l3 = lease(honest2, 1, true, T0).get(0);
            ResultOutcome o = report(honest2, result(l3, "42"), policy, T0);
            assertEquals(ReportStatus.ACCEPTED, o.status());
            assertEquals(1, o.outvoted().size());
            assertEquals(cheat.id(), o.outvoted().get(0).worker());
            assertEquals(Set.of(honest1.id(), honest2.id()),
                    Set.copyOf(store.credits(job.id()).stream().map(c -> c.worker()).toList()));
        }

        @Test
        void recordResults_whenAgreementNeverComes_failsAtTheCap() {
            TrustPolicy policy = TestPolicies.agreement(2, 2, 2);
            Job job = submit(2, spec(1).build()).get(0);
            Worker a = worker("alice");
            Worker b = worker("bob");
            LeasedJob la = lease(a, 1, true, T0).get(0);
            LeasedJob lb = lease(b, 1, true, T0).get(0);
            report(a, result(la, "1"), policy, T0);
            ResultOutcome o = report(b, result(lb, "2"), policy, T0);
            assertTrue(o.finishedNow());
            assertEquals(JobState.FAILED, job(job.id()).state());
            assertTrue(store.credits(job.id()).isEmpty());
        }
    }

    /**
     * The rules a job follows while the store holds it come from {@link JobLifecycle}: a
     * store built with another lifecycle applies that one's rules, not a copy of its own.
     */
    @Nested
    class Lifecycle {
        /**
         * A rule changed in {@link JobLifecycle} reaches the store: with a lifecycle that fails a job
         * at its first failed attempt, an expired lease, an invalid answer and a failed release each
         * fail their job at once, although each job allows three attempts. A store that counted
         * attempts by its own copy of the rule would queue each job again.
         */
        @Test
        void lifecycle_aChangedRuleReachesTheStore_onExpiryInvalidAnswerAndRelease() {
            store.close();
            store = newStore(new FailFast());
            List<Job> jobs = submit(1, spec(1).maxAttempts(3).build(), spec(2).maxAttempts(3).build(),
                    spec(3).maxAttempts(3).build());
            Worker w = worker("alice");
            List<LeasedJob> leased = lease(w, 3, false, T0);
            assertEquals(3, leased.size());
            LeasedJob expiring = leased.stream().filter(l -> l.lease().jobId().equals(jobs.get(0).id())).findFirst()
                    .orElseThrow();
            LeasedJob invalid = leased.stream().filter(l -> l.lease().jobId().equals(jobs.get(1).id())).findFirst()
                    .orElseThrow();
            LeasedJob released = leased.stream().filter(l -> l.lease().jobId().equals(jobs.get(2).id())).findFirst()
                    .orElseThrow();

            ResultRecord bad = new ResultRecord(result(invalid, "x").report(), Verdict.invalid("not a number"), 1.0);
            ResultOutcome outcome = report(w, bad, TestPolicies.firstValid(), T0.plusSeconds(1));
            assertEquals(RejectionReason.INVALID, outcome.reason());
            assertTrue(outcome.finishedNow(), "the changed rule failed the job at its first invalid answer");
            assertEquals(JobState.FAILED, job(jobs.get(1).id()).state());

            List<Released> r = store.releaseLeases(w.id(), List.of(new TicketRef(released.lease().jobId(),
                    released.lease().replica())), T0.plusSeconds(2), ReleaseReason.FAILED, null);
            assertEquals(JobState.FAILED, r.get(0).job().state());

            store.expireLeases(T0.plusSeconds(61), 100);
            Job expired = job(jobs.get(0).id());
            assertEquals(JobState.FAILED, expired.state());
            assertEquals(1, expired.attempts());
            assertTrue(expired.failureReason().contains("attempts exhausted (1 of 3)"), expired.failureReason());
            assertEquals(3L, store.summary().jobs().get(JobState.FAILED));
            assertTrue(lease(worker("bob"), 3, false, T0.plusSeconds(62)).isEmpty(), "no failed job is leased again");
        }
    }

    /** The leaderboard: credit summed per owner or worker, all time or since an instant. */
    @Nested
    class Credit {
        @Test
        void leaderboard_ranksByCredit_allTimeAndInAWindow() {
            TrustPolicy policy = TestPolicies.firstValid();
            Worker a = worker("alice");
            Worker b = worker("bob");
            Instant later = T0.plus(Duration.ofDays(2));
            for (int i = 0; i < 3; i++) {
                submit(1, spec(i).build());
                report(a, result(lease(a, 1, false, T0).get(0), "r"), policy, T0);
            }
            for (int i = 10; i < 12; i++) {
                submit(1, spec(i).build());
                report(b, result(lease(b, 1, false, later).get(0), "r"), policy, later);
            }
            List<LeaderboardEntry> all = store.leaderboard(LeaderboardScope.OWNER, null, 10);
            assertEquals("alice", all.get(0).name());
            assertEquals(3.0, all.get(0).credit());
            assertEquals(1, all.get(0).rank());
            List<LeaderboardEntry> recent = store.leaderboard(LeaderboardScope.OWNER, later.minus(Duration.ofDays(1)),
                    10);
            assertEquals(List.of("bob"), recent.stream().map(LeaderboardEntry::name).toList());
            assertEquals(1, store.leaderboard(LeaderboardScope.WORKER, null, 1).size());
        }
    }

    /**
     * The standing of keys for policies that judge them: kept, changed atomically with the result
     * that caused it, and backtracking of banned keys.
     */
    @Nested
    class Standing {
        /**
         * Submits one job and has each worker in turn lease a replica of it (among others it may
         * be given) and report its answer.
         */
        private Job answered(TrustPolicy policy, Instant at, Object... workersAndAnswers) {
            Job job = submit(policy.initialReplicas(spec(0).build()), spec(at.toEpochMilli()).build()).get(0);
            for (int i = 0; i < workersAndAnswers.length; i += 2) {
                Worker w = (Worker) workersAndAnswers[i];
                LeasedJob l = lease(w, 10, true, at).stream().filter(x -> x.lease().jobId().equals(job.id()))
                        .findFirst().orElseThrow(() -> new AssertionError(w.id() + " leased no replica of " + job.id()));
                report(w, result(l, (String) workersAndAnswers[i + 1]), policy, at);
            }
            return job(job.id());
        }

        @Test
        void trust_ofAKeyNeverJudged_isANewcomer_andUpdatesAreKept() {
            Worker w = worker("alice");
            assertEquals(KeyTrust.newcomer(w.id()), store.trust(w.id()));
            store.updateTrust(w.id(), t -> t.pass(T0));
            KeyTrust after = store.updateTrust(w.id(), t -> t.pass(T0.plusSeconds(1)));
            assertEquals(2, after.passed());
            assertEquals(after, store.trust(w.id()));
            assertEquals(WorkerState.ACTIVE, store.worker(w.id()).orElseThrow().state());
            assertTrue(store.keysToBacktrack(10).isEmpty());
        }

        @Test
        void updateTrust_thatBans_bansTheWorker_andQueuesTheKeyForBacktracking() {
            Worker w = worker("alice");
            Worker other = worker("bob");
            store.updateTrust(w.id(), t -> t.strike(T0).ban("failed a spot-check", T0));
            assertEquals(WorkerState.BANNED, store.worker(w.id()).orElseThrow().state());
            assertEquals(WorkerState.ACTIVE, store.worker(other.id()).orElseThrow().state());
            KeyTrust t = store.trust(w.id());
            assertTrue(t.banned());
            assertEquals("failed a spot-check", t.banReason());
            assertEquals(List.of(t), store.keysToBacktrack(10));
        }

        @Test
        void recordResults_outvotedKeys_takeAStrike_andTheSecondBansInTheSameCall() {
            TrustPolicy policy = TestPolicies.judging(3, 2);
            Worker cheat = worker("mallory");
            Worker a = worker("alice");
            Worker b = worker("bob");
            Job first = answered(policy, T0, cheat, "bad", a, "good", b, "good");
            assertEquals(JobState.ACCEPTED, first.state());
            assertEquals(1, store.trust(cheat.id()).strikes());
            assertEquals(0, store.trust(a.id()).strikes());
            assertEquals(WorkerState.ACTIVE, store.worker(cheat.id()).orElseThrow().state());

            Job second = submit(3, spec(2).build()).get(0);
            LeasedJob lc = lease(cheat, 1, true, T0).get(0);
            report(cheat, result(lc, "bad"), policy, T0);
            report(a, result(lease(a, 1, true, T0).get(0), "good"), policy, T0);
            ResultOutcome deciding = report(b, result(lease(b, 1, true, T0).get(0), "good"), policy, T0);
            assertEquals(ReportStatus.ACCEPTED, deciding.status());
            assertEquals(List.of(cheat.id()), deciding.banned());
            assertEquals(second.id(), deciding.jobId());
            assertTrue(store.trust(cheat.id()).banned());
            assertEquals(WorkerState.BANNED, store.worker(cheat.id()).orElseThrow().state());
        }

        @Test
        void recordResults_invalidResultOfAKeyThePolicySpares_costsNoAttempt() {
            TrustPolicy policy = TestPolicies.judging(1, 1);
            Worker newcomer = worker("alice");
            Worker known = worker("bob");
            store.updateTrust(known.id(), t -> t.pass(T0));
            Job job = submit(1, spec(1).maxAttempts(1).build()).get(0);
            LeasedJob l = lease(newcomer, 1, true, T0).get(0);
            ResultOutcome o = store.recordResults(newcomer, List.of(new ResultRecord(result(l, "junk").report(),
                    Verdict.invalid("garbage"), 1)), T0, policy).get(0);
            assertEquals(RejectionReason.INVALID, o.reason());
            assertFalse(o.finishedNow());
            Job after = job(job.id());
            assertEquals(0, after.attempts());
            assertEquals(JobState.QUEUED, after.state());

            LeasedJob k = lease(known, 1, true, T0).get(0);
            ResultOutcome counted = store.recordResults(known, List.of(new ResultRecord(result(k, "junk").report(),
                    Verdict.invalid("garbage"), 1)), T0, policy).get(0);
            assertTrue(counted.finishedNow(), "the only attempt of the job is spent by a key with history");
            assertEquals(JobState.FAILED, job(job.id()).state());
        }

        @Test
        void backtrack_retractsWhatABannedKeyCarried_revokesCredit_andReopensTheJob() {
            TrustPolicy policy = TestPolicies.judging(2, 2);
            Worker cheat = worker("mallory");
            Worker accomplice = worker("trudy");
            Worker honest = worker("alice");
            Worker honest2 = worker("bob");
            Job carried = answered(policy, T0, cheat, "bad", accomplice, "bad");
            Job untouched = answered(policy, T0.plusSeconds(1), honest, "good", honest2, "good");
            assertEquals(JobState.ACCEPTED, carried.state());
            assertEquals(2, store.credits(carried.id()).size());
            double before = store.leaderboard(LeaderboardScope.OWNER, null, 10).stream()
                    .filter(e -> e.name().equals("trudy")).findFirst().orElseThrow().credit();
            assertEquals(1.0, before);

            store.updateTrust(cheat.id(), t -> t.ban("failed a spot-check", T0));
            Backtrack page = store.backtrack(cheat.id(), null, 10, T0.plusSeconds(5), policy);
            assertTrue(page.done());
            assertEquals(1, page.retractions().size());
            Retraction r = page.retractions().get(0);
            assertEquals(carried.id(), r.job().id());
            assertEquals(carried.acceptedDigest(), r.retractedDigest());
            Job reopened = job(carried.id());
            assertEquals(JobState.RUNNING, reopened.state());
            assertNull(reopened.acceptedDigest());
            assertNull(reopened.finishedAt());
            assertEquals(3, reopened.replicasWanted(), "one more replica, since one result no longer counts");
            assertTrue(store.credits(carried.id()).isEmpty(), "a retracted job keeps no credit");
            assertTrue(store.leaderboard(LeaderboardScope.OWNER, null, 10).stream()
                    .noneMatch(e -> e.name().equals("trudy") || e.name().equals("mallory")));
            assertEquals(JobState.ACCEPTED, job(untouched.id()).state());
            assertTrue(store.trust(cheat.id()).backtracked());
            assertTrue(store.keysToBacktrack(10).isEmpty());

            // The reopened job is decided afresh: the accomplice is outvoted by two honest keys.
            Worker third = worker("carol");
            report(honest, result(lease(honest, 1, true, T0.plusSeconds(6)).get(0), "good"), policy,
                    T0.plusSeconds(6));
            ResultOutcome decided = report(third, result(lease(third, 1, true, T0.plusSeconds(7)).get(0), "good"),
                    policy, T0.plusSeconds(7));
            assertEquals(ReportStatus.ACCEPTED, decided.status());
            Job accepted = job(carried.id());
            assertEquals(Digests.sha256Hex("good".getBytes(StandardCharsets.UTF_8)), accepted.acceptedDigest());
            assertEquals(Set.of("alice", "carol"), Set.copyOf(store.credits(carried.id()).stream()
                    .map(c -> c.owner()).toList()));
            assertEquals(1, store.trust(accomplice.id()).strikes());
        }

        @Test
        void leasesThatSpareAttempts_endWithoutCostingTheJobAnAttempt_byExpiryOrFailure() {
            Job job = submit(1, spec(1).maxAttempts(1).build()).get(0);
            Worker newcomer = worker("alice");
            LeaseRequest spared = new LeaseRequest(newcomer.id(), newcomer.owner(), newcomer.capabilities(), 1, 10,
                    Integer.MAX_VALUE, true, T0, true);
            assertEquals(1, store.lease(spared).size());
            List<Released> expired = store.expireLeases(T0.plus(Duration.ofHours(1)), 10);
            assertEquals(1, expired.size());
            assertEquals(0, job(job.id()).attempts());
            assertEquals(JobState.QUEUED, job(job.id()).state());

            Worker other = worker("bob");
            LeasedJob l = store.lease(new LeaseRequest(other.id(), other.owner(), other.capabilities(), 1, 10,
                    Integer.MAX_VALUE, true, T0.plus(Duration.ofHours(1)), true)).get(0);
            store.releaseLeases(other.id(), List.of(ref(l)), T0.plus(Duration.ofHours(1)), ReleaseReason.FAILED, null);
            assertEquals(0, job(job.id()).attempts());

            Worker known = worker("carol");
            lease(known, 1, true, T0.plus(Duration.ofHours(1)));
            store.expireLeases(T0.plus(Duration.ofHours(2)), 10);
            assertEquals(JobState.FAILED, job(job.id()).state(), "a lease that spares nothing spends the one attempt");
        }

        /** Submits a spot-check repeating {@code source}, whose right answer is {@code right}. */
        private Job spotCheck(Job source, String right) {
            JobSpec spec = source.spec().toBuilder().submitter("muster:spot-checks").build();
            NewJob check = new NewJob(spec, spec.contentDigest(), spec.payloadDigest(), 1, T0,
                    new SpotCheck(source.id(), Digests.sha256Hex(right.getBytes(StandardCharsets.UTF_8))));
            return store.submit(List.of(check)).get(0).job();
        }

        @Test
        void spotCheck_isNeverLeasedToAnOwnerThatKnowsItsSeed() {
            TrustPolicy policy = TestPolicies.judging(2, 2);
            Worker alice = worker("alice");
            Worker bob = worker("bob");
            Job source = answered(policy, T0, alice, "good", bob, "good");
            Job check = spotCheck(source, "good");
            Worker alicesOther = worker("alice");
            assertTrue(lease(alicesOther, 5, true, T0).isEmpty(), "alice's owner answered the source");
            assertTrue(lease(bob, 5, true, T0).isEmpty(), "bob answered the source");
            Worker carol = worker("carol");
            assertEquals(List.of(check.id()), lease(carol, 5, true, T0).stream().map(l -> l.lease().jobId()).toList());
        }

        @Test
        void spotChecksOf_findsTheChecksThatRepeatAJob_oldestFirst() {
            TrustPolicy policy = TestPolicies.judging(2, 2);
            Job source = answered(policy, T0, worker("alice"), "good", worker("bob"), "good");
            Job other = answered(policy, T0.plusSeconds(1), worker("dave"), "good", worker("erin"), "good");
            Job first = spotCheck(source, "good");
            spotCheck(other, "good");
            JobSpec again = source.spec().toBuilder().submitter(SpotCheck.SUBMITTER).priority(1).build();
            SpotCheck repeat = new SpotCheck(source.id(), Digests.sha256Hex("good".getBytes(StandardCharsets.UTF_8)));
            Job second = store.submit(List.of(new NewJob(again, again.contentDigest(), again.payloadDigest(), 1, T0,
                    repeat))).get(0).job();
            assertEquals(List.of(first.id(), second.id()), store.spotChecksOf(source.id(), 10));
            assertEquals(List.of(first.id()), store.spotChecksOf(source.id(), 1));
            assertEquals(List.of(), store.spotChecksOf(first.id(), 10), "a spot-check is repeated by none");
            assertThrows(InvalidRequestException.class, () -> store.spotChecksOf(source.id(), 0));
        }

        @Test
        void spotChecksOnly_leasesSpotChecksAlone_inQueueOrder() {
            TrustPolicy policy = TestPolicies.judging(2, 2);
            Job first = answered(policy, T0, worker("alice"), "good", worker("bob"), "good");
            Job second = answered(policy, T0.plusSeconds(1), worker("dave"), "good", worker("erin"), "good");
            List<Job> ordinary = submit(1, spec(100).build(), spec(101).build());
            Job checkOfFirst = spotCheck(first, "good");
            Job checkOfSecond = spotCheck(second, "good");
            Worker newcomer = worker("carol");
            LeaseRequest all = new LeaseRequest(newcomer.id(), newcomer.owner(), newcomer.capabilities(), 10, 10,
                    Integer.MAX_VALUE, true, T0, true);
            assertEquals(List.of(checkOfFirst.id(), checkOfSecond.id()),
                    store.lease(all.spotChecksOnly()).stream().map(l -> l.lease().jobId()).toList(),
                    "only the spot-checks, though ordinary jobs wait ahead of them");
            assertTrue(store.lease(all.spotChecksOnly()).isEmpty(), "none left for this key");
            assertEquals(ordinary.stream().map(Job::id).toList(),
                    store.lease(all).stream().map(l -> l.lease().jobId()).toList());
        }

        @Test
        void spotCheck_aRightAnswerIsAPass_aWrongOneBansTheKeyInTheSameCall() {
            TrustPolicy policy = TestPolicies.judging(2, 2);
            Job source = answered(policy, T0, worker("alice"), "good", worker("bob"), "good");
            spotCheck(source, "good");
            Worker carol = worker("carol");
            ResultOutcome passed = report(carol, result(lease(carol, 1, true, T0).get(0), "good"), policy, T0);
            assertEquals(ReportStatus.RECORDED, passed.status());
            assertTrue(passed.banned().isEmpty());
            assertEquals(1, store.trust(carol.id()).passed());

            Job second = answered(policy, T0.plusSeconds(1), worker("dave"), "good", worker("erin"), "good");
            Job check = spotCheck(second, "good");
            Worker cheat = worker("mallory");
            ResultOutcome caught = report(cheat, result(lease(cheat, 1, true, T0).get(0), "made up"), policy, T0);
            assertEquals(List.of(cheat.id()), caught.banned());
            assertEquals(JobState.FAILED, job(check.id()).state(), "one wrong answer ends a spot-check");
            assertTrue(lease(worker("frank"), 5, true, T0).isEmpty());
            assertTrue(store.trust(cheat.id()).banned());
            assertEquals(WorkerState.BANNED, store.worker(cheat.id()).orElseThrow().state());
        }

        @Test
        void backtrack_aKeyOutvotedByTheRetractedAcceptance_isVindicated() {
            TrustPolicy policy = TestPolicies.judging(3, 2);
            Worker honest = worker("alice");
            Worker cheat = worker("mallory");
            Worker accomplice = worker("trudy");
            answered(policy, T0, honest, "good", cheat, "bad", accomplice, "bad");
            assertEquals(1, store.trust(honest.id()).strikes(), "framed: outvoted by two colluders");
            store.updateTrust(cheat.id(), t -> t.ban("failed a spot-check", T0));
            assertEquals(1, store.backtrack(cheat.id(), null, 10, T0, policy).retractions().size());
            assertEquals(0, store.trust(honest.id()).strikes(), "the strike went with the acceptance");
            assertEquals(0, store.trust(accomplice.id()).strikes());
        }

        @Test
        void backtrack_pagesThroughTheKeysAnswers_andIsHarmlessToRepeat() {
            TrustPolicy policy = TestPolicies.judging(2, 2);
            Worker cheat = worker("mallory");
            Worker accomplice = worker("trudy");
            List<Job> carried = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                carried.add(answered(policy, T0.plusSeconds(i), cheat, "bad", accomplice, "bad"));
            }
            store.updateTrust(cheat.id(), t -> t.ban("failed a spot-check", T0));
            Backtrack first = store.backtrack(cheat.id(), null, 2, T0.plusSeconds(10), policy);
            assertFalse(first.done());
            assertFalse(store.trust(cheat.id()).backtracked());
            assertEquals(carried.get(1).id(), first.last());
            assertEquals(2, first.retractions().size());
            Backtrack second = store.backtrack(cheat.id(), first.last(), 2, T0.plusSeconds(10), policy);
            assertTrue(second.done());
            assertEquals(List.of(carried.get(2).id()), second.retractions().stream().map(r -> r.job().id()).toList());
            assertTrue(store.trust(cheat.id()).backtracked());

            Backtrack again = store.backtrack(cheat.id(), null, 10, T0.plusSeconds(11), policy);
            assertTrue(again.done());
            assertTrue(again.retractions().isEmpty(), "jobs that no longer rely on the key are left alone");
            for (Job j : carried) {
                assertEquals(JobState.RUNNING, job(j.id()).state());
            }
        }
    }

    /** Owner accounts: created once, found by name, banned, listed in name order; workers by owner. */
    @Nested
    class Owners {
        private OwnerAccount account(String name) {
            return new OwnerAccount(name, Digests.sha256Hex(("secret of " + name).getBytes(StandardCharsets.UTF_8)),
                    OwnerState.ACTIVE, "", T0);
        }

        @Test
        void createOwner_once_thenFoundByName_andAConflictChangesNothing() {
            assertTrue(store.createOwner(account("alice")));
            OwnerAccount other = new OwnerAccount("alice", Digests.sha256Hex(new byte[] {1}), OwnerState.ACTIVE, "",
                    T0.plusSeconds(5));
            assertFalse(store.createOwner(other));
            assertEquals(account("alice"), store.owner("alice").orElseThrow());
            assertTrue(store.owner("bob").isEmpty());
        }

        @Test
        void setOwnerState_bansWithAReason_andIsKept() {
            store.createOwner(account("alice"));
            OwnerAccount banned = store.setOwnerState("alice", OwnerState.BANNED, "ran a Sybil farm").orElseThrow();
            assertEquals(OwnerState.BANNED, banned.state());
            assertEquals("ran a Sybil farm", store.owner("alice").orElseThrow().reason());
            assertEquals(account("alice").secretHash(), banned.secretHash());
            assertTrue(store.setOwnerState("nobody", OwnerState.BANNED, "x").isEmpty());
        }

        @Test
        void owners_pageInNameOrder() {
            for (String n : List.of("carol", "alice", "dave", "bob")) {
                store.createOwner(account(n));
            }
            assertEquals(List.of("alice", "bob"), store.owners(null, 2).stream().map(OwnerAccount::name).toList());
            assertEquals(List.of("carol", "dave"), store.owners("bob", 10).stream().map(OwnerAccount::name).toList());
            assertTrue(store.owners("dave", 10).isEmpty());
        }

        @Test
        void workersOf_listsAnOwnersWorkersInIdOrder_upToTheLimit() {
            Worker a1 = worker("alice");
            worker("bob");
            Worker a2 = worker("alice");
            Worker a3 = worker("alice");
            assertEquals(List.of(a1.id(), a2.id()), store.workersOf("alice", 2).stream().map(Worker::id).toList());
            assertEquals(3, store.workersOf("alice", 10).size());
            assertEquals(a3.id(), store.workersOf("alice", 10).get(2).id());
            assertTrue(store.workersOf("carol", 10).isEmpty());
        }
    }

    /** Secrets the coordinators of one pool agree on through the store. */
    @Nested
    class Secrets {
        @Test
        void sharedSecret_keepsTheFirstCandidate_andNeverChangesIt() {
            byte[] first = store.sharedSecret(SharedSecrets.TICKET_SIGNING_KEY, new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, first);
            assertArrayEquals(new byte[] {1, 2, 3}, store.sharedSecret(SharedSecrets.TICKET_SIGNING_KEY, new byte[] {9}));
            assertArrayEquals(new byte[] {7}, store.sharedSecret(SharedSecrets.CHALLENGE_SECRET, new byte[] {7}));
            byte[] large = new byte[SharedSecrets.MAX_BYTES];
            large[SharedSecrets.MAX_BYTES - 1] = 5;
            assertArrayEquals(large, store.sharedSecret("x".repeat(SharedSecrets.MAX_NAME), large));
            assertThrows(InvalidRequestException.class, () -> store.sharedSecret("y", new byte[0]));
            assertThrows(InvalidRequestException.class,
                    () -> store.sharedSecret("y", new byte[SharedSecrets.MAX_BYTES + 1]));
            assertThrows(InvalidRequestException.class, () -> store.sharedSecret("y".repeat(65), new byte[1]));
        }

        @Test
        void sharedSecret_racingCandidates_allGetTheSameValue() throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<byte[]>> got = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    byte[] candidate = {(byte) i};
                    got.add(pool.submit(() -> store.sharedSecret("race", candidate)));
                }
                Set<Byte> seen = new HashSet<>();
                for (Future<byte[]> f : got) {
                    seen.add(f.get(30, TimeUnit.SECONDS)[0]);
                }
                assertEquals(1, seen.size(), "every caller got one and the same secret: " + seen);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** What operators' pages read: open jobs, worker groups, outcomes per hour, credit histories. */
    @Nested
    class Status {
        private final Requirements gpu = new Requirements(2, 0, true, Set.of("tier:gpu"));

        @Test
        void openJobs_countByTypeAndRequirements_withJobsAwaitingAgreement() {
            TrustPolicy pair = TestPolicies.agreement(2, 2, 2);
            submit(2, spec(1).build(), spec(2).build());
            store.submit(List.of(new NewJob(spec(3).requirements(gpu).build(), spec(3).requirements(gpu).build()
                    .contentDigest(), spec(3).build().payloadDigest(), 1, T0.plusSeconds(30))));
            submit(1, JobSpec.builder("other", new byte[] {1}).build());
            Worker a = worker("alice");
            LeasedJob first = lease(a, 1, true, T0).get(0);
            report(a, result(first, "r"), pair, T0.plusSeconds(1));
            Worker b = worker("bob");
            LeasedJob second = lease(b, 1, true, T0.plusSeconds(2)).get(0);
            assertEquals(first.lease().jobId(), second.lease().jobId());

            Map<String, OpenJobs> byKey = new java.util.HashMap<>();
            store.openJobs().forEach(o -> byKey.put(o.type() + "/" + o.requirements().gpu(), o));
            assertEquals(Set.of("test/false", "test/true", "other/false"), byKey.keySet());
            OpenJobs plain = byKey.get("test/false");
            assertEquals(1, plain.queued(), "the second job waits");
            assertEquals(1, plain.running());
            assertEquals(1, plain.awaitingAgreement(), "the job with one answer of two waits for agreement");
            assertEquals(T0, plain.oldestQueued());
            OpenJobs needy = byKey.get("test/true");
            assertEquals(gpu, needy.requirements());
            assertEquals(1, needy.queued());
            assertEquals(T0.plusSeconds(30), needy.oldestQueued());
            assertEquals(1, byKey.get("other/false").queued());

            report(b, result(second, "r"), pair, T0.plusSeconds(3));
            assertTrue(store.openJobs().stream().allMatch(o -> o.awaitingAgreement() == 0),
                    "an accepted job no longer waits");
        }

        @Test
        void workerGroups_countByStateCoresGpuAndLabels_withLeasesAndLastContact() {
            Capabilities big = new Capabilities(8, 16_384, true, Set.of("tier:gpu", "os:linux"));
            Worker a = worker("alice", big, 4);
            Worker b = worker("bob", new Capabilities(8, 12_000, true, big.labels()), 6);
            worker("carol");
            Worker drained = worker("dave", big, 2);
            store.setWorkerState(drained.id(), WorkerState.DRAINING);
            store.touch(b.id(), T0.plusSeconds(90));
            submit(1, spec(1).build(), spec(2).build(), spec(3).build());
            lease(a, 2, false, T0);
            lease(b, 1, false, T0);

            Map<String, WorkerGroup> groups = new java.util.HashMap<>();
            store.workerGroups().forEach(g -> groups.put(g.state() + "/" + g.capabilities().cores(), g));
            assertEquals(Set.of("ACTIVE/8", "ACTIVE/4", "DRAINING/8"), groups.keySet());
            WorkerGroup gpus = groups.get("ACTIVE/8");
            assertEquals(big, gpus.capabilities(), "memory is not grouped on; the group names the most");
            assertEquals(2, gpus.workers());
            assertEquals(10, gpus.capacity());
            assertEquals(3, gpus.leases());
            assertEquals(T0.plusSeconds(90), gpus.lastContact());
            assertEquals("gpu", WorkerGroup.tierOf(gpus.capabilities()));
            assertEquals(0, groups.get("ACTIVE/4").leases());
            assertEquals("none", WorkerGroup.tierOf(groups.get("ACTIVE/4").capabilities()));
            assertEquals(1, groups.get("DRAINING/8").workers());
        }

        @Test
        void finishedPerHour_countsAcceptedAndFailedJobs_byTheHourTheyFinished() {
            TrustPolicy policy = TestPolicies.firstValid();
            Worker w = worker("alice");
            Instant h0 = T0.plus(Duration.ofHours(5));
            Instant[] at = {h0.minusSeconds(60), h0.plusSeconds(60), h0.plusSeconds(120), h0.plus(Duration.ofMinutes(70))};
            for (int i = 0; i < at.length; i++) {
                submit(1, spec(i).build());
                report(w, result(lease(w, 1, false, at[i]).get(0), "r"), policy, at[i]);
            }
            submit(1, spec(99).maxAttempts(1).build());
            lease(w, 1, false, h0.plus(Duration.ofMinutes(80)));
            store.expireLeases(h0.plus(Duration.ofMinutes(82)), 10);

            List<HourlyOutcomes> hours = store.finishedPerHour(h0.plusSeconds(1));
            assertEquals(List.of(new HourlyOutcomes(h0, 2, 0), new HourlyOutcomes(h0.plus(Duration.ofHours(1)), 1, 1)),
                    hours, "the hour that holds 'since' is counted whole; earlier hours are not");
            assertTrue(store.finishedPerHour(h0.plus(Duration.ofHours(3))).isEmpty());
        }

        @Test
        void creditHistory_givesTotalsAndTheDaysFromTheFirstAsked() {
            TrustPolicy policy = TestPolicies.firstValid();
            Worker a = worker("alice");
            Worker b = worker("bob");
            Instant[] days = {T0.plusSeconds(3600), T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofDays(2)).plusSeconds(5)};
            for (int i = 0; i < days.length; i++) {
                submit(1, spec(i).build());
                report(a, result(lease(a, 1, false, days[i]).get(0), "r"), policy, days[i]);
            }
            List<CreditHistory> owners = store.creditHistory(LeaderboardScope.OWNER, List.of("alice", "bob", "nobody"),
                    java.time.LocalDate.of(2026, 1, 2));
            assertEquals(1, owners.size(), "only names with credit: " + owners);
            CreditHistory alice = owners.get(0);
            assertEquals("alice", alice.name());
            assertEquals(3.0, alice.credit());
            assertEquals(3, alice.results());
            assertEquals(List.of(new CreditHistory.Day(java.time.LocalDate.of(2026, 1, 3), 2.0, 2)), alice.days());

            List<CreditHistory> workers = store.creditHistory(LeaderboardScope.WORKER, List.of(a.id().value(),
                    b.id().value()), java.time.LocalDate.of(2026, 1, 1));
            assertEquals(1, workers.size());
            assertEquals(2, workers.get(0).days().size());
            assertTrue(store.creditHistory(LeaderboardScope.OWNER, List.of(), java.time.LocalDate.of(2026, 1, 1))
                    .isEmpty());
            assertThrows(InvalidRequestException.class, () -> store.creditHistory(LeaderboardScope.OWNER,
                    java.util.Collections.nCopies(1_001, "x"), java.time.LocalDate.of(2026, 1, 1)));
        }
    }

    /** The rejection log: bounded, newest first, counted in the summary. */
    @Nested
    class Rejections {
        @Test
        void rejections_areReturnedNewestFirst() {
            Worker w = worker("alice");
            for (int i = 1; i <= 3; i++) {
                store.logRejection(new Rejection(T0.plusSeconds(i), w.id(), JobId.of(i), 0, RejectionReason.INVALID,
                        "r" + i));
            }
            List<Rejection> log = store.rejections(2);
            assertEquals(List.of("r3", "r2"), log.stream().map(Rejection::detail).toList());
            assertEquals(3L, store.summary().rejections());
        }

        @Test
        void recordResults_appendsTheReportsRejectionRows_withItsResults_orAlone() {
            Job job = submit(1, spec(1).build()).get(0);
            Worker w = worker("alice");
            LeasedJob l = lease(w, 1, false, T0).get(0);
            List<Rejection> rows = List.of(
                    new Rejection(T0, w.id(), JobId.of(77), 0, RejectionReason.TOO_LARGE, "row 1"),
                    new Rejection(T0, w.id(), JobId.of(78), 0, RejectionReason.SEED_MISMATCH, "row 2"));
            List<ResultOutcome> out = store.recordResults(w, List.of(result(l, "42")), rows, T0.plusSeconds(1),
                    TestPolicies.firstValid());
            assertEquals(1, out.size());
            assertEquals(JobState.ACCEPTED, job(job.id()).state(), "the results are recorded as without rows");
            assertEquals(List.of("row 2", "row 1"), store.rejections(10).stream().map(Rejection::detail).toList());

            assertEquals(List.of(), store.recordResults(w, List.of(), List.of(new Rejection(T0.plusSeconds(2), w.id(),
                    null, -1, RejectionReason.NOT_LEASED, "row 3")), T0.plusSeconds(2), TestPolicies.firstValid()));
            assertEquals(List.of("row 3", "row 2", "row 1"),
                    store.rejections(10).stream().map(Rejection::detail).toList());
            assertEquals(3L, store.summary().rejections());
        }
    }

    /**
     * What the coordinator's housekeeping round asks of a store: ending leases past their
     * deadline, purging jobs finished long ago, and finding workers that have gone silent.
     */
    @Nested
    class Housekeeping {
        @Test
        void expireLeases_requeuesTheReplica_andCountsAnAttempt() {
            Job job = submit(1, spec(1).maxAttempts(3).build()).get(0);
            Worker w = worker("alice");
            lease(w, 1, false, T0);
            assertTrue(store.expireLeases(T0.plusSeconds(59), 100).isEmpty(), "not due yet");
            List<Released> released = store.expireLeases(T0.plusSeconds(61), 100);
            assertEquals(1, released.size());
            assertEquals(1, job(job.id()).attempts());
            assertEquals(JobState.QUEUED, job(job.id()).state());
            assertTrue(store.leases(w.id()).isEmpty());
            assertEquals(1, lease(worker("bob"), 1, false, T0.plusSeconds(62)).size());
        }

        @Test
        void expireLeases_pastMaxAttempts_failsTheJobWithAReason() {
            Job job = submit(1, spec(1).maxAttempts(2).build()).get(0);
            Instant now = T0;
            for (int i = 0; i < 2; i++) {
                assertEquals(1, lease(worker("w" + i), 1, false, now).size());
                now = now.plusSeconds(61);
                store.expireLeases(now, 100);
            }
            Job failed = job(job.id());
            assertEquals(JobState.FAILED, failed.state());
            assertTrue(failed.failureReason().contains("attempts exhausted"), failed.failureReason());
            assertTrue(lease(worker("late"), 1, false, now).isEmpty());
        }

        @Test
        void expireLeases_afterExpiry_rejectsTheLateResult() {
            TrustPolicy policy = TestPolicies.firstValid();
            submit(1, spec(1).build());
            Worker w = worker("alice");
            LeasedJob l = lease(w, 1, false, T0).get(0);
            store.expireLeases(T0.plusSeconds(61), 100);
            ResultOutcome o = report(w, result(l, "late"), policy, T0.plusSeconds(62));
            assertEquals(RejectionReason.NOT_LEASED, o.reason());
            assertEquals(JobState.QUEUED, o.job().state());
        }

        @Test
        void expireLeases_endsEveryDueLease_evenWhenRequestsArriveOutOfTimeOrder() {
            submit(1, spec(1).build(), spec(2).build());
            Worker late = worker("alice");
            Worker early = worker("bob");
            // Two callers read the clock 61 s apart but reach the store in the other order.
            LeasedJob first = lease(late, 1, false, T0.plusSeconds(61)).get(0);
            LeasedJob second = lease(early, 1, false, T0).get(0);
            assertTrue(!second.lease().deadline().isBefore(T0.plusSeconds(60)), "deadline is at least now + timeout");
            Instant sweep = T0.plusSeconds(100);
            store.expireLeases(sweep, 100);
            for (LeasedJob l : List.of(first, second)) {
                boolean due = l.lease().deadline().isBefore(sweep);
                boolean live = store.leases(l.lease().worker()).stream()
                        .anyMatch(x -> x.jobId().equals(l.lease().jobId()));
                assertEquals(!due, live, "lease " + l.lease() + " at sweep " + sweep);
            }
        }

        @Test
        void purgeFinished_deletesOnlyJobsFinishedBeforeTheCutoff_upToTheLimit_andKeepsLeaderboardTotals() {
            TrustPolicy policy = TestPolicies.firstValid();
            List<Job> jobs = submit(1, spec(1).build(), spec(2).build(), spec(3).build(), spec(4).build());
            Worker w = worker("alice");
            List<LeasedJob> leased = lease(w, 4, false, T0);
            Map<JobId, LeasedJob> byJob = new java.util.HashMap<>();
            leased.forEach(l -> byJob.put(l.lease().jobId(), l));
            report(w, result(byJob.get(jobs.get(0).id()), "a"), policy, T0.plusSeconds(1));
            report(w, result(byJob.get(jobs.get(1).id()), "b"), policy, T0.plusSeconds(2));
            store.cancel(jobs.get(2).id(), T0.plusSeconds(3), "test");
            // Within its 60 s lease, after the purge's cutoff.
            report(w, result(byJob.get(jobs.get(3).id()), "d"), policy, T0.plusSeconds(30));
            double totalBefore = store.leaderboard(LeaderboardScope.WORKER, null, 10).get(0).credit();

            int first = store.purgeFinished(T0.plusSeconds(10), 2);
            int second = store.purgeFinished(T0.plusSeconds(10), 2);
            // A store may bound its history another way and purge nothing; one that purges deletes
            // the three jobs finished before the cutoff, at most two per call, and nothing else.
            if (first + second == 0) {
                jobs.forEach(j -> assertTrue(store.job(j.id()).isPresent()));
                return;
            }
            assertEquals(2, first);
            assertEquals(1, second);
            for (Job gone : jobs.subList(0, 3)) {
                assertTrue(store.job(gone.id()).isEmpty(), "purged " + gone.id());
                assertTrue(store.results(gone.id()).isEmpty());
                assertTrue(store.credits(gone.id()).isEmpty());
            }
            assertEquals(JobState.ACCEPTED, job(jobs.get(3).id()).state(), "finished after the cutoff: kept");
            assertEquals(1, store.credits(jobs.get(3).id()).size());
            assertEquals(totalBefore, store.leaderboard(LeaderboardScope.WORKER, null, 10).get(0).credit(), 1e-9,
                    "leaderboard totals survive the purge");
            assertEquals(0, store.purgeFinished(T0.plusSeconds(10), 2));
        }

        /**
         * A purge deletes only finished jobs: a queued and a running job are kept however old, the
         * running one's lease still holds and its result is still accepted, and a job finishing at
         * the cutoff is not before it. A purged job's key is free again: submitting it once more
         * creates a new job, as {@link Store#purgeFinished} promises.
         */
        @Test
        void purgeFinished_keepsUnfinishedJobs_atTheCutoffToo_andFreesAPurgedJobsKey() {
            TrustPolicy policy = TestPolicies.firstValid();
            List<Job> jobs = submit(1, spec(1).idempotencyKey("done").build(), spec(2).maxAttempts(1).build(),
                    spec(3).build());
            Worker w = worker("alice");
            Map<JobId, LeasedJob> byJob = new java.util.HashMap<>();
            lease(w, 3, false, T0).forEach(l -> byJob.put(l.lease().jobId(), l));
            report(w, result(byJob.get(jobs.get(0).id()), "a"), policy, T0.plusSeconds(1));
            store.releaseLeases(w.id(), List.of(ref(byJob.get(jobs.get(1).id()))), T0.plusSeconds(2),
                    ReleaseReason.FAILED, null);
            Job queued = submit(1, spec(4).build()).get(0);
            LeasedJob running = byJob.get(jobs.get(2).id());

            int purged = store.purgeFinished(T0.plus(Duration.ofDays(1)), 100);
            if (purged == 0) {
                // A store that bounds its history another way keeps everything here.
                jobs.forEach(j -> assertTrue(store.job(j.id()).isPresent()));
                return;
            }
            assertEquals(2, purged, "the accepted and the failed job");
            assertTrue(store.job(jobs.get(0).id()).isEmpty());
            assertTrue(store.job(jobs.get(1).id()).isEmpty());
            assertEquals(JobState.QUEUED, job(queued.id()).state());
            assertEquals(JobState.RUNNING, job(running.lease().jobId()).state());
            assertEquals(List.of(running.lease()), store.leases(w.id()), "the running job's lease holds");

            Submitted again = store.submit(List.of(newJob(spec(1).idempotencyKey("done").build(), 1))).get(0);
            assertTrue(again.created(), "a purged job's key names no job any more");
            assertNotEquals(jobs.get(0).id(), again.job().id());
            assertEquals(JobState.QUEUED, again.job().state());

            assertEquals(ReportStatus.ACCEPTED, report(w, result(running, "c"), policy, T0.plusSeconds(5)).status());
            assertEquals(0, store.purgeFinished(T0.plusSeconds(5), 100), "finished at the cutoff, not before it");
            assertEquals(1, store.purgeFinished(T0.plusSeconds(6), 100));
            assertTrue(store.job(running.lease().jobId()).isEmpty());
        }

        @Test
        void silentWorkers_listsOnlyWorkersOfTheStateSilentBeforeTheCutoff_upToTheLimit() {
            Worker quiet1 = worker("alice");
            Worker quiet2 = worker("bob");
            Worker heard = worker("carol");
            Worker draining = worker("dave");
            store.touch(heard.id(), T0.plusSeconds(100));
            store.setWorkerState(draining.id(), WorkerState.DRAINING);
            Set<WorkerId> silent = new HashSet<>();
            store.silentWorkers(WorkerState.ACTIVE, T0.plusSeconds(50), 10).forEach(x -> silent.add(x.id()));
            assertEquals(Set.of(quiet1.id(), quiet2.id()), silent);
            assertEquals(1, store.silentWorkers(WorkerState.ACTIVE, T0.plusSeconds(50), 1).size());
            assertTrue(store.silentWorkers(WorkerState.ACTIVE, T0, 10).isEmpty(),
                    "last seen at the cutoff is not before it");
            assertEquals(List.of(draining.id()), store.silentWorkers(WorkerState.DRAINING, T0.plusSeconds(50), 10)
                    .stream().map(Worker::id).toList());
        }

        /**
         * Silence is judged by the latest sign of life and the current state: a worker heard from
         * after the cutoff is not silent, and an older heartbeat arriving late does not make it so
         * again; a worker moved to another state is listed under that state only. With more silent
         * workers than the limit, the limit is filled, each one silent and none twice.
         */
        @Test
        void silentWorkers_followTheLatestHeartbeatAndTheCurrentState_andFillTheLimit() {
            Set<WorkerId> quiet = new HashSet<>();
            for (int i = 0; i < 30; i++) {
                quiet.add(worker("owner-" + i).id());
            }
            Worker back = worker("alice");
            Worker moved = worker("bob");
            Instant cutoff = T0.plusSeconds(50);
            assertTrue(store.touch(back.id(), T0.plusSeconds(60)));
            assertTrue(store.touch(back.id(), T0.plusSeconds(10)), "a late heartbeat of a known worker");
            assertEquals(T0.plusSeconds(60), store.worker(back.id()).orElseThrow().lastSeen(),
                    "the latest sign of life stands");
            store.setWorkerState(moved.id(), WorkerState.OFFLINE);

            List<Worker> all = store.silentWorkers(WorkerState.ACTIVE, cutoff, 100);
            assertEquals(quiet, Set.copyOf(all.stream().map(Worker::id).toList()));
            assertEquals(quiet.size(), all.size(), "no worker listed twice");
            List<Worker> some = store.silentWorkers(WorkerState.ACTIVE, cutoff, 10);
            assertEquals(10, some.size());
            assertEquals(10, Set.copyOf(some.stream().map(Worker::id).toList()).size(), "no worker listed twice");
            some.forEach(x -> assertTrue(quiet.contains(x.id()), x.id() + " is silent and active"));
            assertEquals(List.of(moved.id()), store.silentWorkers(WorkerState.OFFLINE, cutoff, 100).stream()
                    .map(Worker::id).toList());
        }
    }

    /** The store's answer to a health check, open and closed. */
    @Nested
    class Health {
        @Test
        void checkHealth_ofAWorkingStore_isAvailable_andChangesNothing() {
            Worker w = worker("alice");
            submit(1, spec(1).build());
            var before = store.summary();
            StoreHealth health = store.checkHealth();
            assertTrue(health.available(), String.valueOf(health));
            assertNull(health.reason());
            assertEquals(0, health.outages(), "no outage in a working store");
            assertEquals(before, store.summary(), "the health check changes nothing");
            assertEquals(w, store.worker(w.id()).orElseThrow());
        }

        @Test
        void checkHealth_ofAClosedStore_isUnavailable_andSaysSo() {
            checkInvariants = false;
            store.close();
            StoreHealth health = store.checkHealth();
            assertFalse(health.available());
            assertFalse(health.reason().isBlank());
        }
    }

    /**
     * Many workers on many threads at once: the invariants of leasing and acceptance hold
     * under contention, not only one call at a time.
     */
    @Nested
    class Concurrency {
        /**
         * Eight workers on eight threads drain 100,000 single-replica jobs. No job may be leased to
         * two workers at once, and every job must end accepted exactly once.
         */
        @Test
        void concurrentLeasing_neverLeasesAJobTwice_andAcceptsEachExactlyOnce() throws Exception {
            int jobs = 100_000;
            int threads = 8;
            TrustPolicy policy = TestPolicies.firstValid();
            List<NewJob> batch = new ArrayList<>(jobs);
            for (int i = 0; i < jobs; i++) {
                batch.add(newJob(spec(i).build(), 1));
            }
            List<Submitted> submitted = store.submit(batch);
            long firstId = submitted.get(0).job().id().value();
            AtomicIntegerArray accepted = new AtomicIntegerArray(jobs);
            ConcurrentHashMap<JobId, WorkerId> live = new ConcurrentHashMap<>();
            AtomicReference<String> violation = new AtomicReference<>();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Integer>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Worker w = worker("owner-" + (t % 3), CAPS, 64);
                    done.add(pool.submit(() -> {
                        int mine = 0;
                        while (true) {
                            List<LeasedJob> got = lease(w, 64, false, T0);
                            if (got.isEmpty()) {
                                return mine;
                            }
                            List<ResultRecord> results = new ArrayList<>(got.size());
                            for (LeasedJob l : got) {
                                WorkerId other = live.putIfAbsent(l.lease().jobId(), w.id());
                                if (other != null) {
                                    violation.compareAndSet(null, "job " + l.lease().jobId() + " leased to " + w.id()
                                            + " while " + other + " held it");
                                }
                                results.add(result(l, "answer"));
                            }
                            for (LeasedJob l : got) {
                                live.remove(l.lease().jobId(), w.id());
                            }
                            for (ResultOutcome o : store.recordResults(w, results, T0, policy)) {
                                if (o.status() == ReportStatus.ACCEPTED) {
                                    accepted.incrementAndGet((int) (o.jobId().value() - firstId));
                                    mine++;
                                } else {
                                    violation.compareAndSet(null, "unexpected outcome " + o);
                                }
                            }
                        }
                    }));
                }
                int total = 0;
                for (Future<Integer> f : done) {
                    total += f.get(120, TimeUnit.SECONDS);
                }
                assertNull(violation.get());
                assertEquals(jobs, total);
            } finally {
                pool.shutdownNow();
            }
            for (int i = 0; i < jobs; i++) {
                assertEquals(1, accepted.get(i), "job #" + i + " accepted count");
            }
            assertEquals((long) jobs, store.summary().jobs().get(JobState.ACCEPTED));
            assertEquals(0L, store.summary().activeLeases());
            double credit = store.leaderboard(LeaderboardScope.OWNER, null, 10).stream()
                    .mapToDouble(LeaderboardEntry::credit).sum();
            assertEquals(jobs, credit, 1e-6);
        }

        /**
         * Eight workers of four owners on eight threads run 20,000 two-replica jobs with distinct
         * owners. No owner may ever hold two replicas of one job, and every job ends accepted once
         * with exactly two credits.
         */
        @Test
        void concurrentLeasing_withDistinctOwners_neverGivesAnOwnerTwoReplicas() throws Exception {
            int jobs = 20_000;
            int threads = 8;
            TrustPolicy policy = TestPolicies.agreement(2, 2, 4);
            List<NewJob> batch = new ArrayList<>(jobs);
            for (int i = 0; i < jobs; i++) {
                batch.add(newJob(spec(i).build(), 2));
            }
            List<Job> stored = store.submit(batch).stream().map(Submitted::job).toList();
            ConcurrentHashMap<JobId, Set<String>> owners = new ConcurrentHashMap<>();
            AtomicReference<String> violation = new AtomicReference<>();
            AtomicIntegerArray accepted = new AtomicIntegerArray(jobs);
            // Workers stop when every job is decided, not when they see nothing to lease: the last
            // replicas of a job can go only to other owners, and a worker that gave up early because
            // a descheduled peer still held a lease would leave them waiting for ever.
            AtomicInteger decided = new AtomicInteger();
            long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(110);
            long firstId = stored.get(0).id().value();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Worker w = worker("owner-" + (t % 4), CAPS, 32);
                    done.add(pool.submit(() -> {
                        while (decided.get() < jobs && System.nanoTime() < giveUpAt) {
                            List<LeasedJob> got = lease(w, 32, true, T0);
                            if (got.isEmpty()) {
                                Thread.onSpinWait();
                                continue;
                            }
                            List<ResultRecord> results = new ArrayList<>();
                            for (LeasedJob l : got) {
                                Set<String> seen = owners.computeIfAbsent(l.lease().jobId(),
                                        k -> ConcurrentHashMap.newKeySet());
                                if (!seen.add(w.owner())) {
                                    violation.compareAndSet(null, "owner " + w.owner() + " got job "
                                            + l.lease().jobId() + " twice");
                                }
                                results.add(result(l, "answer"));
                            }
                            for (ResultOutcome o : store.recordResults(w, results, T0, policy)) {
                                if (o.status() == ReportStatus.ACCEPTED) {
                                    accepted.incrementAndGet((int) (o.jobId().value() - firstId));
                                    decided.incrementAndGet();
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertNull(violation.get());
            for (int i = 0; i < jobs; i++) {
                assertEquals(1, accepted.get(i), "job #" + i + " accepted count");
                assertEquals(2, store.credits(stored.get(i).id()).size());
            }
        }
    }
}
