package dev.muster.spi.store;

import dev.muster.spi.JobId;
import dev.muster.spi.WorkerId;
import java.time.Instant;

/**
 * A live lease as a store holds it while it works on its job (see {@link JobRecord}). A store may
 * extend it to hang its own index entries on it; identity equality, so it can sit in hash sets
 * cheaply.
 */
public class LeaseRecord {
    private final Lease lease;
    private boolean sparesAttempt;

    /**
     * A live lease of {@code worker} on {@code replica} of job {@code jobId}.
     *
     * @param jobId    the job
     * @param replica  the replica number, unique within the job
     * @param worker   the holder
     * @param owner    the holder's owner, for per-owner limits and distinct owners
     * @param leasedAt when it was leased
     * @param deadline when it expires
     */
    public LeaseRecord(JobId jobId, int replica, WorkerId worker, String owner, Instant leasedAt, Instant deadline) {
        this.lease = new Lease(jobId, replica, worker, owner, leasedAt, deadline);
    }

    /**
     * Marks the lease as one that costs its job no attempt if it ends without a valid result
     * ({@link LeaseRequest#sparesAttempts()}), when leasing or loading it.
     *
     * @param spares true if ending without a valid result costs the job no attempt
     */
    public final void sparesAttempt(boolean spares) {
        this.sparesAttempt = spares;
    }

    /**
     * Returns whether ending without a valid result costs the job no attempt.
     *
     * @return whether ending without a valid result costs the job no attempt
     */
    public final boolean sparesAttempt() {
        return sparesAttempt;
    }

    /**
     * Returns the lease as the SPI reports it.
     *
     * @return the lease as the SPI reports it
     */
    public final Lease lease() {
        return lease;
    }

    /**
     * Returns the replica number.
     *
     * @return the replica number
     */
    public final int replica() {
        return lease.replica();
    }

    /**
     * Returns the holder.
     *
     * @return the holder
     */
    public final WorkerId worker() {
        return lease.worker();
    }

    /**
     * Returns the holder's owner.
     *
     * @return the holder's owner
     */
    public final String owner() {
        return lease.owner();
    }

    /**
     * Returns when the lease expires.
     *
     * @return when the lease expires
     */
    public final Instant deadline() {
        return lease.deadline();
    }
}
