package dev.muster.spi;

/** A request names a job id the store does not hold. */
public final class UnknownJobException extends MusterException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the job
     */
    public UnknownJobException(String message) {
        super(ErrorCode.UNKNOWN_JOB, message);
    }
}
