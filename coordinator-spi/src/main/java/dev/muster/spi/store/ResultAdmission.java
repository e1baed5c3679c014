package dev.muster.spi.store;

import dev.muster.spi.Job;
import dev.muster.spi.JobState;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ResultReport;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.StoredResult;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The checks a store makes, in this order, before it records a reported result (see
 * {@link Store#recordResults}), so that every store answers the same report the same way: a
 * repeat of this worker's recorded answer (a harmless duplicate, or a conflicting one), no live
 * lease of this worker on this replica, an expired lease.
 *
 * <p>A worker is told nothing about a job it does not hold: whether the job is unknown, finished,
 * or leased to someone else, the answer is {@link RejectionReason#NOT_LEASED} with the same words
 * ({@link #notHeld}). (So a worker whose lease was revoked because the job finished or was
 * cancelled hears NOT_LEASED too; what it should do is the same: drop the result.)
 */
public final class ResultAdmission {
    private ResultAdmission() {}

    /**
     * @param report        the reported result
     * @param worker        who reported it
     * @param state         the job's state, or null if there is no such job
     * @param job           the job as it stands, for the outcome; called only when one is returned
     * @param earlier       what this worker recorded for this replica before, or null
     * @param leaseDeadline the deadline of this worker's live lease on this replica, or null if it
     *                      holds none
     * @param now           when the report is being recorded
     * @return the outcome that ends this result's report, or null if the result is to be recorded
     */
    public static ResultOutcome check(ResultReport report, WorkerId worker, JobState state, Supplier<Job> job,
                                      StoredResult earlier, Instant leaseDeadline, Instant now) {
        if (state == null) {
            return ResultOutcome.rejected(report.jobId(), report.replica(), RejectionReason.NOT_LEASED,
                    notHeld(worker, report), null);
        }
        if (earlier != null) {
            if (earlier.resultDigest().equals(report.resultDigest())) {
                return ResultOutcome.duplicate(job.get(), report.replica());
            }
            return ResultOutcome.rejected(report.jobId(), report.replica(), RejectionReason.CONFLICTING_DUPLICATE,
                    "replica " + report.replica() + " was already reported with digest " + earlier.resultDigest(),
                    job.get());
        }
        // A final job has no live leases: this catches it without saying that it finished.
        if (leaseDeadline == null || state.isFinal()) {
            return ResultOutcome.rejected(report.jobId(), report.replica(), RejectionReason.NOT_LEASED,
                    notHeld(worker, report), job.get());
        }
        if (leaseDeadline.isBefore(now)) {
            return ResultOutcome.rejected(report.jobId(), report.replica(), RejectionReason.NOT_LEASED,
                    "the lease on job " + report.jobId() + " replica " + report.replica() + " expired at "
                            + leaseDeadline, job.get());
        }
        return null;
    }

    /**
     * @return the detail of every {@code NOT_LEASED} answer about a job the worker does not hold;
     *     it names only what the report named
     */
    public static String notHeld(WorkerId worker, ResultReport report) {
        return "worker " + worker + " holds no lease on job " + report.jobId() + " replica " + report.replica();
    }
}
