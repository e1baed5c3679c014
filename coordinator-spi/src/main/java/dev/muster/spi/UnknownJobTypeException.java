package dev.muster.spi;

/** A job names a type that no registered {@link Validator} handles. Nothing was queued. */
public final class UnknownJobTypeException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the type and the types that are known
     */
    public UnknownJobTypeException(String message) {
        super(ErrorCode.UNKNOWN_JOB_TYPE, message);
    }
}
