package dev.muster.store.memory;

import dev.muster.spi.CreditEntry;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.store.JobRecord;
import dev.muster.spi.store.LeaseRecord;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A job with this store's bookkeeping on it; every field is guarded by the store's lock. */
final class JobRec extends JobRecord {
    final DedupKey dedupKey;
    final ReadyQueue.ClassQueue queueClass;

    /** Whether the store dropped it (see {@link JobIndex}). */
    boolean dropped;
    /** Whether the job sits in its submitter's queue (it may linger there lazily after {@code open()} drops to 0). */
    boolean queued;
    List<CreditEntry> credits = List.of();
    /** For a spot-check: owners that answered or held its source job, and so know its seed. */
    Set<String> sawSeed = Set.of();

    JobRec(JobId id, JobSpec spec, String digest, String payloadDigest, DedupKey dedupKey, int replicas,
           Instant submittedAt, ReadyQueue.ClassQueue queueClass) {
        super(id, spec, digest, payloadDigest, replicas, submittedAt);
        this.dedupKey = dedupKey;
        this.queueClass = queueClass;
    }

    /**
     * A worker may take a replica unless it already holds or answered one; with distinct owners,
     * the same goes for its owner. Expired leases do not count: their holders gave nothing back.
     * An owner that knows a spot-check's seed never gets it.
     */
    boolean eligible(WorkerId worker, String owner, boolean distinctOwners) {
        if (sawSeed.contains(owner)) {
            return false;
        }
        for (LeaseRecord l : leases()) {
            if (l.worker().equals(worker) || (distinctOwners && l.owner().equals(owner))) {
                return false;
            }
        }
        for (StoredResult r : results()) {
            if (r.worker().equals(worker) || (distinctOwners && r.owner().equals(owner))) {
                return false;
            }
        }
        return true;
    }

    /** @return the owners that hold or answered a replica */
    Set<String> owners() {
        Set<String> out = new HashSet<>();
        leases().forEach(l -> out.add(l.owner()));
        results().forEach(r -> out.add(r.owner()));
        return Set.copyOf(out);
    }
}
