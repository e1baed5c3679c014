package dev.muster.spi;

/** Health and standing of a worker. */
public enum WorkerState {
    /** Heartbeating and eligible for work. */
    ACTIVE,
    /** Missed one heartbeat interval; keeps its leases, still gets work. */
    DEGRADED,
    /** Missed three intervals; its leases went back to the queue. A heartbeat brings it back. */
    OFFLINE,
    /**
     * An admin drained it: it finishes its leases but gets no new ones, until an admin resumes it.
     * Re-registering, heartbeats and silence do not end a drain (a silent drained worker's leases
     * still return to the queue).
     */
    DRAINING,
    /** Refused everything until an admin lifts the ban. */
    BANNED,
    /**
     * It said it is stopping ({@link CoordinatorApi#leave}): it finishes its leases but gets no
     * new ones. Registering again makes it active; silence makes it offline.
     */
    LEAVING;

    /**
     * Returns whether a worker in this state may be given new leases.
     *
     * @return whether a worker in this state may be given new leases
     */
    public boolean canLease() {
        return this == ACTIVE || this == DEGRADED;
    }
}
