package dev.muster.spi;

/** The coordinator is not running (not started yet, or stopped) and cannot serve the call. */
public final class CoordinatorStateException extends MusterException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the state the coordinator is in
     */
    public CoordinatorStateException(String message) {
        super(ErrorCode.NOT_RUNNING, message);
    }
}
