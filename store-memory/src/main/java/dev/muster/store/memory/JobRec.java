package dev.muster.store.memory;

import dev.muster.spi.CreditEntry;
import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.StoredResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Mutable job state; every field is guarded by the store's lock. */
final class JobRec {
    final JobId id;
    final JobSpec spec;
    final String digest;
    final String payloadDigest;
    final DedupKey dedupKey;
    final Instant submittedAt;
    final ReadyQueue.ClassQueue queueClass;

    JobState state = JobState.QUEUED;
    int replicasWanted;
    int attempts;
    Instant finishedAt;
    String acceptedDigest;
    String failureReason;
    /** Whether the store dropped it (see {@link JobIndex}). */
    boolean dropped;

    /** Replicas waiting for a worker. */
    int open;
    /** Whether the job sits in its submitter's queue (it may linger there lazily after {@code open} drops to 0). */
    boolean queued;
    int nextReplica;
    /** Live leases; an immutable empty list while there are none, so queued jobs carry no list. */
    List<LeaseRec> leases = List.of();
    List<StoredResult> results = List.of();
    List<CreditEntry> credits = List.of();

    JobRec(JobId id, JobSpec spec, String digest, String payloadDigest, DedupKey dedupKey, int replicas,
           Instant submittedAt, ReadyQueue.ClassQueue queueClass) {
        this.id = id;
        this.spec = spec;
        this.digest = digest;
        this.payloadDigest = payloadDigest;
        this.dedupKey = dedupKey;
        this.replicasWanted = replicas;
        this.open = replicas;
        this.submittedAt = submittedAt;
        this.queueClass = queueClass;
    }

    /**
     * A fresh snapshot every time. Caching it would make a long-queued (old-generation) record
     * point at a young object after every change, which costs more in collection than the
     * allocation saves.
     */
    Job snapshot() {
        return new Job(id, spec, digest, payloadDigest, state, replicasWanted, attempts, submittedAt, finishedAt,
                acceptedDigest, failureReason);
    }

    void addLease(LeaseRec l) {
        if (leases.isEmpty()) {
            leases = new ArrayList<>(2);
        }
        leases.add(l);
    }

    void removeLease(LeaseRec l) {
        leases.remove(l);
        if (leases.isEmpty()) {
            leases = List.of();
        }
    }

    LeaseRec liveLease(int replica, WorkerId worker) {
        for (LeaseRec l : leases) {
            if (l.replica == replica && l.worker.equals(worker)) {
                return l;
            }
        }
        return null;
    }

    StoredResult result(int replica, WorkerId worker) {
        for (StoredResult r : results) {
            if (r.replica() == replica && r.worker().equals(worker)) {
                return r;
            }
        }
        return null;
    }

    void addResult(StoredResult r) {
        if (results.isEmpty()) {
            results = new ArrayList<>(2);
        }
        results.add(r);
    }

    /**
     * A worker may take a replica unless it already holds or answered one; with distinct owners,
     * the same goes for its owner. Expired leases do not count: their holders gave nothing back.
     */
    boolean eligible(WorkerId worker, String owner, boolean distinctOwners) {
        for (LeaseRec l : leases) {
            if (l.worker.equals(worker) || (distinctOwners && l.owner.equals(owner))) {
                return false;
            }
        }
        for (StoredResult r : results) {
            if (r.worker().equals(worker) || (distinctOwners && r.owner().equals(owner))) {
                return false;
            }
        }
        return true;
    }
}
