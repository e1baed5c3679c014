package dev.muster.spi;

/**
 * A reported result was rejected for a reason other than a missing lease; {@link #reason()}
 * says which. Thrown by {@link ReportOutcome#orThrow()}.
 */
public final class ResultRejectedException extends MusterException {
    private static final long serialVersionUID = 1L;

    private final RejectionReason reason;

    /**
     * @param reason  why the result was rejected
     * @param message details: job, replica and what did not match
     */
    public ResultRejectedException(RejectionReason reason, String message) {
        super(ErrorCode.RESULT_REJECTED, message);
        this.reason = reason;
    }

    /** Why the result was rejected. */
    public RejectionReason reason() {
        return reason;
    }
}
