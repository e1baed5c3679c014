package dev.muster.spi.store;

import dev.muster.spi.CreditEntry;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.RejectionReason;
import dev.muster.spi.ReportStatus;
import dev.muster.spi.WorkerId;
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
 * @param banned         keys this call banned (their worker too), for a trust policy that judges keys
 */
public record ResultOutcome(JobId jobId, int replica, ReportStatus status, RejectionReason reason, String detail,
                            Job job, boolean finishedNow, List<CreditEntry> credits, byte[] acceptedResult,
                            List<StoredResult> outvoted, List<WorkerId> banned) {
    /**
     * Copies the lists.
     *
     * @param jobId          the job
     * @param replica        the replica
     * @param status         what became of the result
     * @param reason         why it was rejected, or null
     * @param detail         details of a rejection, or empty
     * @param job            the job after the call, or null
     * @param finishedNow    whether this call moved the job to a final state
     * @param credits        credit granted by this call; not null, may be empty
     * @param acceptedResult the accepted result bytes, or null; not copied
     * @param outvoted       results this call's acceptance outvoted; not null, may be empty
     * @param banned         keys this call banned; not null, may be empty
     */
    public ResultOutcome {
        credits = List.copyOf(credits);
        outvoted = List.copyOf(outvoted);
        banned = List.copyOf(banned);
    }

    /**
     * Returns this outcome with the keys its call banned.
     *
     * @param keys the keys the call banned, in place of those this outcome lists
     * @return this outcome with the keys its call banned
     */
    public ResultOutcome withBanned(List<WorkerId> keys) {
        return new ResultOutcome(jobId, replica, status, reason, detail, job, finishedNow, credits, acceptedResult,
                outvoted, keys);
    }

    /**
     * Returns an outcome that rejects the result and changes nothing.
     *
     * @param jobId   the job the result names
     * @param replica the replica it names
     * @param reason  why it is rejected
     * @param detail  what the worker is told
     * @param job     the job as it stands, or null if there is no such job
     * @return an outcome that rejects the result and changes nothing
     */
    public static ResultOutcome rejected(JobId jobId, int replica, RejectionReason reason, String detail, Job job) {
        return new ResultOutcome(jobId, replica, ReportStatus.REJECTED, reason, detail, job, false, List.of(), null,
                List.of(), List.of());
    }

    /**
     * Returns an outcome for a repeat of the answer this worker gave before, which changes nothing.
     *
     * @param job     the job as it stands
     * @param replica the replica answered again
     * @return an outcome for a repeat of the answer this worker gave before, which changes nothing
     */
    public static ResultOutcome duplicate(Job job, int replica) {
        return new ResultOutcome(job.id(), replica, ReportStatus.DUPLICATE, null, "", job, false, List.of(), null,
                List.of(), List.of());
    }

    /**
     * Returns an outcome for an answer its validator refused; the answer was recorded.
     *
     * @param job         the job after the call
     * @param replica     the replica answered
     * @param why         the validator's reason
     * @param finishedNow whether the failed attempt it counted failed the job
     * @return an outcome for an answer its validator refused; the answer was recorded
     */
    public static ResultOutcome invalid(Job job, int replica, String why, boolean finishedNow) {
        return new ResultOutcome(job.id(), replica, ReportStatus.REJECTED, RejectionReason.INVALID, why, job,
                finishedNow, List.of(), null, List.of(), List.of());
    }

    /**
     * Returns an outcome for a valid answer that was recorded and did not decide the job.
     *
     * @param job         the job after the call
     * @param replica     the replica answered
     * @param finishedNow whether the trust policy failed the job
     * @return an outcome for a valid answer that was recorded and did not decide the job
     */
    public static ResultOutcome recorded(Job job, int replica, boolean finishedNow) {
        return new ResultOutcome(job.id(), replica, ReportStatus.RECORDED, null, "", job, finishedNow, List.of(),
                null, List.of(), List.of());
    }

    /**
     * Returns an outcome for a valid answer that the trust policy accepted, which finished the job.
     *
     * @param job            the job after the call, accepted
     * @param replica        the replica answered
     * @param credits        credit granted to every agreeing replica
     * @param acceptedResult the accepted result bytes
     * @param outvoted       valid results with another digest
     * @return an outcome for a valid answer that the trust policy accepted, which finished the job
     */
    public static ResultOutcome accepted(Job job, int replica, List<CreditEntry> credits, byte[] acceptedResult,
                                         List<StoredResult> outvoted) {
        return new ResultOutcome(job.id(), replica, ReportStatus.ACCEPTED, null, "", job, true, credits,
                acceptedResult, outvoted, List.of());
    }

    /**
     * Returns the outcome for a valid answer whose arrival let the trust policy accept another
     * digest, which finished the job. The reporter is not told the accepted digest: a cartel that
     * collects them would recognise the spot-checks that repeat those jobs (the job carries it).
     *
     * @param job            the job after the call, accepted
     * @param replica        the replica answered, which disagreed
     * @param credits        credit granted to every agreeing replica
     * @param acceptedResult the accepted result bytes
     * @param outvoted       valid results with another digest, the reporter's left out
     * @return the outcome
     */
    public static ResultOutcome outvoted(Job job, int replica, List<CreditEntry> credits, byte[] acceptedResult,
                                         List<StoredResult> outvoted) {
        return new ResultOutcome(job.id(), replica, ReportStatus.REJECTED, RejectionReason.OUTVOTED,
                "other replicas agreed on a different result", job, true, credits, acceptedResult, outvoted,
                List.of());
    }
}
