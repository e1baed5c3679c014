package dev.muster.spi.store;

import dev.muster.spi.CreditEntry;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.policy.StoredResult;
import java.util.List;

/**
 * What recording one result did.
 *
 * @param jobId          the job
 * @param replica        the replica
 * @param status         accepted, recorded, duplicate or rejected
 * @param reason         why it was rejected (including by its validator), or null
 * @param detail         details of a rejection, or empty
 * @param job            the job after the call, or null if there is no such job
 * @param finishedNow    whether this call moved the job to a final state
 * @param credits        credit granted by this call (when it accepted the job)
 * @param acceptedResult the accepted result bytes when this call accepted the job, else null
 * @param outvoted       valid results that this call's acceptance outvoted
 */
public record ResultOutcome(JobId jobId, int replica, ReportStatus status, RejectionReason reason, String detail,
                            Job job, boolean finishedNow, List<CreditEntry> credits, byte[] acceptedResult,
                            List<StoredResult> outvoted) {
    /** Copies the lists. */
    public ResultOutcome {
        credits = List.copyOf(credits);
        outvoted = List.copyOf(outvoted);
    }

    /** @return an outcome that rejects the result and changes nothing */
    public static ResultOutcome rejected(JobId jobId, int replica, RejectionReason reason, String detail, Job job) {
        return new ResultOutcome(jobId, replica, ReportStatus.REJECTED, reason, detail, job, false, List.of(), null,
                List.of());
    }
}
