package dev.muster.spi.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muster.spi.CreditEntry;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobQuery;
import dev.muster.spi.JobState;
import dev.muster.spi.PoolSummary;
import dev.muster.spi.Worker;
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

        List<Worker> workers = store.workers(0, Integer.MAX_VALUE);
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
