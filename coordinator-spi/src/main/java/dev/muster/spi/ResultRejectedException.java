package dev.muster.spi;

/**
 * A reported result was rejected for a reason other than a missing lease; {@link #reason()}
 * says which. Thrown by {@link ReportOutcome#orThrow()}.
 */
public final class ResultRejectedException extends MusterException {
    private static final long serialVersionUID = 1L;

    /** Why the result was rejected, kept so that a caller can branch on it without parsing the message. */
    private final RejectionReason reason;

    /**
     * Creates the exception.
     *
     * @param reason  why the result was rejected
     * @param message details: job, replica and what did not match
     */
    public ResultRejectedException(RejectionReason reason, String message) {
        super(ErrorCode.RESULT_REJECTED, message);
        this.reason = reason;
    }

    /**
     * Why the result was rejected.
     *
     * @return the reason, as in the report's outcome
     */
    public RejectionReason reason() {
        return reason;
    }
}
