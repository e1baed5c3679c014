package dev.muster.spi.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.CreditEntry;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobState;
import dev.muster.spi.OpenJobs;
import dev.muster.spi.PoolSummary;
import dev.muster.spi.Worker;
import dev.muster.spi.WorkerGroup;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.StoredResult;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What must hold of a store between any two calls, checked after every contract test: the pool
 * summary agrees with the listed jobs, active leases equal the leases the workers hold, every
 * accepted job has credit for exactly its agreeing replicas, and no worker holds or answered two
 * replicas of one job.
 *
 * <p>Summary and leases are checked over every job and worker. Credit and replicas need two reads
 * per job; above {@value #PER_JOB_CHECKS} jobs (the concurrency tests drain 100,000, and check
 * each job's credit themselves) they are checked on that many jobs spread evenly over the ids.
 */
final class StoreInvariants {
    static final int PER_JOB_CHECKS = 2_000;
    private static final int PAGE = 1_000;

    private StoreInvariants() {}

    static void check(Store store) {
        PoolSummary summary = store.summary();
        List<Job> jobs = allJobs(store);
        Map<JobState, Long> byState = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) {
            byState.put(s, 0L);
        }
        jobs.forEach(j -> byState.merge(j.state(), 1L, Long::sum));
        for (JobState s : JobState.values()) {
            assertEquals(byState.get(s), summary.jobs().getOrDefault(s, 0L),
                    "invariant: the summary counts as many " + s + " jobs as are listed");
        }

        List<Worker> workers = new ArrayList<>();
        for (List<Worker> page = store.workers(null, PAGE); !page.isEmpty();
                page = page.size() < PAGE ? List.of() : store.workers(page.get(page.size() - 1).id(), PAGE)) {
            workers.addAll(page);
        }
        long held = 0;
        Map<JobId, Map<WorkerId, Integer>> replicasByWorker = new HashMap<>();
        for (Worker w : workers) {
            for (Lease l : store.leases(w.id())) {
                held++;
                assertEquals(w.id(), l.worker(), "invariant: a worker's leases are its own");
                replicasByWorker.computeIfAbsent(l.jobId(), k -> new HashMap<>()).merge(w.id(), 1, Integer::sum);
            }
        }
        assertEquals(held, summary.activeLeases(), "invariant: active leases equal the sum of every worker's leases");

        checkStatus(store, summary, jobs, workers, held);

        int stride = Math.max(1, (jobs.size() + PER_JOB_CHECKS - 1) / PER_JOB_CHECKS);
        for (int i = 0; i < jobs.size(); i += stride) {
            Job job = jobs.get(i);
            List<StoredResult> results = store.results(job.id());
            Map<WorkerId, Integer> holders = new HashMap<>(replicasByWorker.getOrDefault(job.id(), Map.of()));
            for (StoredResult r : results) {
                holders.merge(r.worker(), 1, Integer::sum);
            }
            holders.forEach((worker, n) -> assertEquals(1, n,
                    "invariant: worker " + worker + " holds or answered one replica of job " + job.id() + ", not " + n));
            checkCredit(store, job, results);
        }
    }

    /**
     * The status reads agree with the summary and the listed jobs and workers: open jobs by type
     * add up to the queued and running jobs, worker groups to the workers and their leases.
     */
    private static void checkStatus(Store store, PoolSummary summary, List<Job> jobs, List<Worker> workers,
                                    long held) {
        Map<String, long[]> byType = new HashMap<>();
        for (Job j : jobs) {
            if (!j.state().isFinal()) {
                byType.computeIfAbsent(j.spec().type() + " " + j.spec().requirements(), k -> new long[2])
                        [j.state() == JobState.QUEUED ? 0 : 1]++;
            }
        }
        Map<String, long[]> open = new HashMap<>();
        for (OpenJobs o : store.openJobs()) {
            long[] before = open.put(o.type() + " " + o.requirements(), new long[] {o.queued(), o.running()});
            assertTrue(before == null, "invariant: one open-jobs row per type and requirements: " + o);
            assertTrue(o.awaitingAgreement() <= o.running(), "invariant: jobs awaiting agreement are running: " + o);
            assertEquals(o.queued() > 0, o.oldestQueued() != null, "invariant: the oldest queued job is named: " + o);
        }
        assertEquals(byType.keySet(), open.keySet(), "invariant: open jobs name the types of the unfinished jobs");
        byType.forEach((k, n) -> assertArrayEquals(n, open.get(k), "invariant: queued and running jobs of " + k));

        long grouped = 0;
        long groupedLeases = 0;
        for (WorkerGroup g : store.workerGroups()) {
            grouped += g.workers();
            groupedLeases += g.leases();
            List<Worker> members = workers.stream().filter(w -> w.state() == g.state()
                    && w.capabilities().cores() == g.capabilities().cores() && w.capabilities().gpu() == g.capabilities().gpu()
                    && w.capabilities().labels().equals(g.capabilities().labels())).toList();
            assertEquals(members.size(), g.workers(), "invariant: a worker group counts its workers: " + g);
            assertEquals(members.stream().mapToLong(w -> w.capabilities().memoryMb()).max().orElse(-1),
                    g.capabilities().memoryMb(), "invariant: a worker group names its members' most memory: " + g);
        }
        assertEquals(workers.size(), grouped, "invariant: worker groups hold every worker");
        assertEquals(held, groupedLeases, "invariant: worker groups hold every lease");
        assertEquals(summary.activeLeases(), groupedLeases, "invariant: worker groups hold the summary's leases");
    }

    private static void checkCredit(Store store, Job job, List<StoredResult> results) {
        List<CreditEntry> credits = store.credits(job.id());
        if (job.state() != JobState.ACCEPTED) {
            assertTrue(credits.isEmpty(), "invariant: only an accepted job has credit; " + job.id() + " is "
                    + job.state());
            return;
        }
        assertNotNull(job.acceptedDigest(), "invariant: an accepted job names its digest");
        Set<Integer> agreeing = new HashSet<>();
        for (StoredResult r : results) {
            if (r.valid() && r.resultDigest().equals(job.acceptedDigest())) {
                agreeing.add(r.replica());
            }
        }
        assertTrue(!agreeing.isEmpty(), "invariant: accepted job " + job.id() + " has a valid agreeing answer");
        Set<Integer> credited = new HashSet<>();
        for (CreditEntry c : credits) {
            assertTrue(credited.add(c.replica()), "invariant: replica " + c.replica() + " of job " + job.id()
                    + " is credited once");
        }
        assertEquals(agreeing, credited, "invariant: accepted job " + job.id()
                + " has credit for exactly its agreeing replicas");
    }

    /** @return every stored job, in id order, read a page of {@link Store#jobs} at a time */
    static List<Job> allJobs(Store store) {
        List<Job> out = new ArrayList<>();
        long after = 0;
        while (true) {
            List<Job> page = store.jobs(new JobQuery(null, null, null, after, PAGE));
            out.addAll(page);
            if (page.size() < PAGE) {
                return out;
            }
            after = page.get(page.size() - 1).id().value();
        }
    }
}
