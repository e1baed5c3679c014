package dev.muster.spi.store;

import dev.muster.spi.CreditEntry;
import dev.muster.spi.JobState;
import dev.muster.spi.policy.StoredResult;
import java.util.List;

/**
 * What {@link JobLifecycle} changed on a job, told to the store that holds it so that it can
 * update its own indexes (a store in memory) or write the rows back (a store on a database). The
 * record itself has already changed when a method is called; a method only mirrors the change.
 *
 * @param <J> the store's job record type
 */
public interface JobChanges<J extends JobRecord> {

    /**
     * A live lease ended without an answer (expired, released, revoked); it is off the record.
     *
     * @param job   the job that held it
     * @param lease the lease that ended
     */
    void leaseEnded(J job, LeaseRecord lease);

    /**
     * A live lease ended with an answer, now the last of the record's results.
     *
     * @param job    the job that held it
     * @param lease  the lease that ended
     * @param result the answer, valid or not
     */
    void answered(J job, LeaseRecord lease, StoredResult result);

    /**
     * The job moved from {@code from} to its current state.
     *
     * @param job  the job, in its new state
     * @param from its state before the change
     */
    void stateChanged(J job, JobState from);

    /**
     * The job wants a replica back after a lost lease (expired, released, given up), and is not
     * final. It may go to the front of its queue: nobody chose when that lease was lost.
     *
     * @param job the job, with its open replica counted
     */
    void reopened(J job);

    /**
     * A trust policy added replicas to the job because its results do not decide it yet (they
     * disagree, or are not credible enough). The job goes behind the jobs its submitter has
     * waiting, never to the front: a worker that leases right after a result came in must not
     * get the next replica of that job, or a cartel that times its leases could answer every
     * replica of a job it chose.
     *
     * @param job the job, with the new replicas counted
     */
    void replicasAdded(J job);

    /**
     * Attempts or other fields changed that no other call here mirrors.
     *
     * @param job the changed job
     */
    void updated(J job);

    /**
     * The job reached a final state (after {@link #stateChanged}); it has no live leases left.
     *
     * @param job the finished job
     */
    void finished(J job);

    /**
     * Credit was granted, once per agreeing replica, when the job was accepted.
     *
     * @param job     the accepted job
     * @param credits the new entries, to add to the ledger and the leaderboard totals
     */
    void credited(J job, List<CreditEntry> credits);

    /**
     * The accepted job was taken back ({@link JobLifecycle#reconsider}): every credit entry granted
     * for it is revoked, leaderboard totals included, so that only an accepted job has credit. Its
     * state change is told by {@link #stateChanged} before this.
     *
     * @param job the job, running again
     */
    void retracted(J job);
}
