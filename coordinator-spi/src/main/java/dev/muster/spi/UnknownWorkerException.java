package dev.muster.spi;

/** A request names a worker that never registered (or was removed). */
public final class UnknownWorkerException extends MusterException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the worker
     */
    public UnknownWorkerException(String message) {
        super(ErrorCode.UNKNOWN_WORKER, message);
    }
}
