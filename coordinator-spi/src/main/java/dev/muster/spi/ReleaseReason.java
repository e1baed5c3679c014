package dev.muster.spi;

/**
 * Why a worker gives up a lease before its deadline ({@link CoordinatorApi#release}). The reason
 * decides whether the release counts one of the job's attempts: a job whose handler fails on
 * every worker must run out of attempts and fail, not circle the pool forever; a ticket a worker
 * never started cost the job nothing.
 */
public enum ReleaseReason {
    /** The worker tried the job and could not finish it (its handler failed). Counts an attempt. */
    FAILED("the worker could not run it", true),
    /** The worker is stopping and never started the job. Does not count an attempt. */
    NOT_RUN("the worker gave it up unrun", false);

    private final String description;
    private final boolean countsAttempt;

    ReleaseReason(String description, boolean countsAttempt) {
        this.description = description;
        this.countsAttempt = countsAttempt;
    }

    /**
     * Returns a short phrase for logs and failure reasons.
     *
     * @return a short phrase for logs and failure reasons
     */
    public String description() {
        return description;
    }

    /**
     * Returns whether a lease given up for this reason counts one of the job's attempts.
     *
     * @return whether a lease given up for this reason counts one of the job's attempts
     */
    public boolean countsAttempt() {
        return countsAttempt;
    }
}
