package dev.muster.spi;

/**
 * The outcome of one result in a {@link ResultBatch}.
 *
 * @param jobId   the job
 * @param replica the replica
 * @param status  what became of the result
 * @param reason  why it was rejected, or null
 * @param detail  human-readable details of a rejection, or empty; fitted to {@link Limits#REJECTION_DETAIL}
 * @param credit  credit this result earned by this report (its job was accepted now, and it agreed);
 *                0 otherwise, credit granted later (when other replicas agree) included
 */
public record ReportOutcome(JobId jobId, int replica, ReportStatus status, RejectionReason reason, String detail,
                            double credit) {
    /**
     * Checks the outcome and fits the detail to {@link Limits#REJECTION_DETAIL}.
     *
     * @param jobId   the job; not null
     * @param replica the replica
     * @param status  what became of the result; not null
     * @param reason  required exactly when the status is {@link ReportStatus#REJECTED}, else null
     * @param detail  details of a rejection, or empty; not null
     * @param credit  credit earned by this report, finite and not negative
     * @throws InvalidRequestException if a required field is null, or a rejection has no reason
     */
    public ReportOutcome {
        if (!(credit >= 0) || Double.isInfinite(credit)) {
            throw new InvalidRequestException("credit must be finite and not negative, was " + credit);
        }
        Checks.notNull(jobId, "jobId");
        Checks.notNull(status, "status");
        detail = Limits.REJECTION_DETAIL.fit(Checks.notNull(detail, "detail"));
        if ((status == ReportStatus.REJECTED) != (reason != null)) {
            throw new InvalidRequestException("a reason is given exactly when the status is REJECTED");
        }
    }

    /**
     * An outcome that earned no credit.
     *
     * @param jobId   the job; not null
     * @param replica the replica
     * @param status  what became of the result; not null
     * @param reason  required exactly when the status is {@link ReportStatus#REJECTED}, else null
     * @param detail  details of a rejection, or empty; not null
     */
    public ReportOutcome(JobId jobId, int replica, ReportStatus status, RejectionReason reason, String detail) {
        this(jobId, replica, status, reason, detail, 0);
    }

    /**
     * Returns whether the result was accepted, recorded or a harmless duplicate.
     *
     * @return whether the result was accepted, recorded or a harmless duplicate
     */
    public boolean isSuccess() {
        return status != ReportStatus.REJECTED;
    }

    /**
     * For callers that prefer exceptions to outcome values.
     *
     * @return this outcome, if it is not a rejection
     * @throws NotLeasedException      if the worker held no lease on the replica
     * @throws BadSignatureException   if the signature did not verify
     * @throws ResultRejectedException for every other rejection
     */
    public ReportOutcome orThrow() {
        if (status != ReportStatus.REJECTED) {
            return this;
        }
        String message = "result for job " + jobId + " replica " + replica + " rejected (" + reason + "): " + detail;
        switch (reason) {
            case NOT_LEASED:
                throw new NotLeasedException(message);
            case BAD_SIGNATURE:
                throw new BadSignatureException(message);
            default:
                throw new ResultRejectedException(reason, message);
        }
    }
}
