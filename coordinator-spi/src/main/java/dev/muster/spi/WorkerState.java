package dev.muster.spi;

/** Health and standing of a worker. */
public enum WorkerState {
    /** Heartbeating and eligible for work. */
    ACTIVE,
    /** Missed one heartbeat interval; keeps its leases, still gets work. */
    DEGRADED,
    /** Missed three intervals; its leases went back to the queue. A heartbeat brings it back. */
    OFFLINE,
    /** Finishes its leases but gets no new ones. */
    DRAINING,
    /** Refused everything until an admin lifts the ban. */
    BANNED;

    /** @return whether a worker in this state may be given new leases */
    public boolean canLease() {
        return this == ACTIVE || this == DEGRADED;
    }
}
