package dev.muster.store.memory;

import dev.muster.spi.WorkerId;
import dev.muster.spi.store.Lease;
import java.time.Instant;

/** A live lease; identity-hashed so it can sit in hash sets cheaply. Guarded by the store's lock. */
final class LeaseRec {
    final JobRec job;
    final int replica;
    final WorkerId worker;
    final String owner;
    final Instant deadline;
    final long timeoutMillis;
    final Lease lease;

    LeaseRec(JobRec job, int replica, WorkerId worker, String owner, Instant leasedAt, Instant deadline,
             long timeoutMillis) {
        this.job = job;
        this.replica = replica;
        this.worker = worker;
        this.owner = owner;
        this.deadline = deadline;
        this.timeoutMillis = timeoutMillis;
        this.lease = new Lease(job.id, replica, worker, owner, leasedAt, deadline);
    }
}
