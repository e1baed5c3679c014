package dev.muster.store.memory;

import dev.muster.spi.Job;
import dev.muster.spi.JobQuery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Jobs in id order, all of them and per submitter, for listing: a query walks only the jobs of
 * its submitter (or all jobs when it names none) from its cursor on, and stops at a full page, so
 * a page is short only at the end of the matches, whatever other submitters' jobs lie between.
 *
 * <p>Ids are assigned in increasing order under the store's lock, so appending keeps each list
 * sorted and a cursor is found by binary search. Dropped jobs are marked and skipped, and a list
 * is compacted once half of it is dropped, so dropping costs O(1) amortised. Guarded by the
 * store's lock.
 */
final class JobIndex {
    private final Run all = new Run();
    private final HashMap<String, Run> bySubmitter = new HashMap<>();

    /** Adds a new job; its id must be larger than every id added before. */
    void add(JobRec job) {
        all.add(job);
        bySubmitter.computeIfAbsent(job.spec().submitter(), k -> new Run()).add(job);
    }

    /** Forgets a job that the store dropped. */
    void remove(JobRec job) {
        job.dropped = true;
        all.dropped();
        Run mine = bySubmitter.get(job.spec().submitter());
        if (mine != null && mine.dropped()) {
            bySubmitter.remove(job.spec().submitter());
        }
    }

    /** @return up to {@code q.limit()} jobs matching {@code q} with ids after its cursor, in id order */
    List<Job> find(JobQuery q) {
        Run run = q.submitter() == null ? all : bySubmitter.get(q.submitter());
        if (run == null) {
            return List.of();
        }
        List<Job> out = new ArrayList<>(Math.min(q.limit(), 256));
        for (int i = run.firstAfter(q.after()); i < run.jobs.size() && out.size() < q.limit(); i++) {
            JobRec job = run.jobs.get(i);
            if (!job.dropped && (q.state() == null || q.state() == job.state())
                    && (q.type() == null || q.type().equals(job.spec().type()))) {
                out.add(job.snapshot());
            }
        }
        return out;
    }

    /** Jobs in id order, some of them dropped. */
    private static final class Run {
        private ArrayList<JobRec> jobs = new ArrayList<>();
        private int dropped;

        void add(JobRec job) {
            jobs.add(job);
        }

        /** Counts a dropped job; compacts when half are dropped. @return whether none is left */
        boolean dropped() {
            dropped++;
            if (dropped * 2 >= jobs.size()) {
                ArrayList<JobRec> live = new ArrayList<>(Math.max(16, (jobs.size() - dropped) * 2));
                for (JobRec j : jobs) {
                    if (!j.dropped) {
                        live.add(j);
                    }
                }
                jobs = live;
                dropped = 0;
            }
            return jobs.isEmpty();
        }

        /** @return the index of the first job whose id is larger than {@code after} */
        int firstAfter(long after) {
            int lo = 0;
            int hi = jobs.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (jobs.get(mid).id().value() <= after) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
