package dev.muster.spi;

/** Where a job is in its life: {@code QUEUED -> RUNNING -> ACCEPTED | FAILED | CANCELLED}. */
public enum JobState {
    /** Waiting for a worker; no replica is leased. */
    QUEUED,
    /** At least one replica is leased or a result awaits agreement. */
    RUNNING,
    /** A result was accepted; final. */
    ACCEPTED,
    /** Attempts ran out, or replicas could not agree; final. */
    FAILED,
    /** Cancelled by its submitter or an admin; final. */
    CANCELLED;

    /**
     * Returns whether no further change can happen to a job in this state.
     *
     * @return whether no further change can happen to a job in this state
     */
    public boolean isFinal() {
        return this == ACCEPTED || this == FAILED || this == CANCELLED;
    }
}
