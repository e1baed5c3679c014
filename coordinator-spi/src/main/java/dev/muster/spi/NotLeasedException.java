package dev.muster.spi;

/** A worker reported a result for a replica it does not hold a live lease on. */
public final class NotLeasedException extends MusterException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the job, replica and worker
     */
    public NotLeasedException(String message) {
        super(ErrorCode.NOT_LEASED, message);
    }
}
