package dev.muster.store.memory;

import dev.muster.spi.CreditEntry;
import dev.muster.spi.JobState;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.store.JobChanges;
import dev.muster.spi.store.JobLifecycle;
import dev.muster.spi.store.LeaseRecord;
import java.util.List;

/**
 * Turns what {@link JobLifecycle} changed on a job into updates of a {@link MemoryStore}'s
 * indexes: a lease that ended leaves the lease index, a reopened job goes back into the ready
 * queue, a state change moves the per-state counts, a finished job joins the table's retention
 * order, credit goes on the job and into the ledger (and
 * comes off both when an acceptance is retracted), and valid answers are indexed by key for
 * backtracking. Called under the store's lock.
 *
 * <p>This is the memory store's half of the lifecycle contract: the rules stay in the SPI, and a
 * store on a database writes the same changes as SQL.
 */
final class Mirror implements JobChanges<JobRec> {
    private final JobTable jobs;
    private final ReadyQueue queue;
    private final LeaseIndex leases;
    private final Ledger ledger;
    private final Standings standings;

    Mirror(JobTable jobs, ReadyQueue queue, LeaseIndex leases, Ledger ledger, Standings standings) {
        this.jobs = jobs;
        this.queue = queue;
        this.leases = leases;
        this.ledger = ledger;
        this.standings = standings;
    }

    @Override
    public void leaseEnded(JobRec job, LeaseRecord lease) {
        leases.remove(lease);
    }

    @Override
    public void answered(JobRec job, LeaseRecord lease, StoredResult result) {
        leases.remove(lease);
        if (result.valid()) {
            standings.answered(result.worker(), job.id().value());
        }
    }

    @Override
    public void stateChanged(JobRec job, JobState from) {
        jobs.stateChanged(from, job.state());
    }

    @Override
    public void reopened(JobRec job) {
        queue.enqueue(job, true);
    }

    @Override
    public void replicasAdded(JobRec job) {
        queue.enqueue(job, false);
    }

    @Override
    public void updated(JobRec job) {
        // nothing to index: attempts are read off the record
    }

    @Override
    public void finished(JobRec job) {
        jobs.finished(job);
    }

    @Override
    public void credited(JobRec job, List<CreditEntry> credits) {
        job.credits = List.copyOf(credits);
        for (CreditEntry c : credits) {
            ledger.add(c);
        }
    }

    @Override
    public void retracted(JobRec job) {
        for (CreditEntry c : job.credits) {
            ledger.remove(c);
        }
        job.credits = List.of();
        jobs.unfinished(job);
    }
}
