package dev.muster.spi;

/** A banned worker asked for work or reported results; it gets neither. */
public final class WorkerBannedException extends MusterException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the worker
     */
    public WorkerBannedException(String message) {
        super(ErrorCode.WORKER_BANNED, message);
    }
}
