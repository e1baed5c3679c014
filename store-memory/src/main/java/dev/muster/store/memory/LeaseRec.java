package dev.muster.store.memory;

import dev.muster.spi.WorkerId;
import dev.muster.spi.store.LeaseRecord;
import java.time.Instant;

/** A live lease with the job it belongs to and its timeout, for this store's expiry FIFOs. */
final class LeaseRec extends LeaseRecord {
    final JobRec job;
    final long timeoutMillis;

    LeaseRec(JobRec job, int replica, WorkerId worker, String owner, Instant leasedAt, Instant deadline,
             long timeoutMillis) {
        super(job.id(), replica, worker, owner, leasedAt, deadline);
        this.job = job;
        this.timeoutMillis = timeoutMillis;
    }
}
