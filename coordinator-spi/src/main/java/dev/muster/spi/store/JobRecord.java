package dev.muster.spi.store;

import dev.muster.spi.Job;
import dev.muster.spi.JobId;
import dev.muster.spi.JobSpec;
import dev.muster.spi.JobState;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.StoredResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A job as a store holds it while it works on it: its state, its live leases and its answers.
 * {@link JobLifecycle} changes it, only through the named methods of this class, and tells the
 * store what changed; a store only loads it, leases its replicas and persists what it was told.
 * A store may extend it with its own bookkeeping (queue links, a row's class id).
 *
 * <p>Not thread-safe: a store works on a record only while it holds the job (its lock, or the
 * job's row locked in a transaction).
 */
public class JobRecord {
    private final JobId id;
    private final JobSpec spec;
    private final String digest;
    private final String payloadDigest;
    private final Instant submittedAt;
    private JobState state;
    private int replicasWanted;
    private int attempts;
    private int open;
    private int nextReplica;
    private Instant finishedAt;
    private String acceptedDigest;
    private String failureReason;
    /** Live leases; an immutable empty list while there are none, so queued jobs carry no list. */
    private List<LeaseRecord> leases = List.of();
    /** Answers, oldest first; likewise empty until the first. */
    private List<StoredResult> results = List.of();
    private SpotCheck spotCheck;

    /**
     * A job just submitted: queued, every replica wanted.
     *
     * @param id            the id the store assigned
     * @param spec          what was submitted
     * @param digest        content digest
     * @param payloadDigest SHA-256 of the payload, hex
     * @param replicas      replicas the trust policy wants to start with, at least 1
     * @param submittedAt   when the store accepted it
     */
    public JobRecord(JobId id, JobSpec spec, String digest, String payloadDigest, int replicas, Instant submittedAt) {
        this(id, spec, digest, payloadDigest, submittedAt, JobState.QUEUED, replicas, 0, replicas, 0, null, null,
                null);
    }

    /**
     * A job as a store stored it, for a store that loads it back; add its leases and answers after.
     *
     * @param id             the job's id
     * @param spec           what was submitted
     * @param digest         content digest
     * @param payloadDigest  SHA-256 of the payload, hex
     * @param submittedAt    when the store accepted it
     * @param state          its state
     * @param replicasWanted replicas wanted in all
     * @param attempts       failed attempts so far
     * @param open           replicas waiting for a worker
     * @param nextReplica    the number the next leased replica gets
     * @param finishedAt     when it reached a final state, or null
     * @param acceptedDigest the accepted digest, or null
     * @param failureReason  why it failed or was cancelled, or null
     */
    public JobRecord(JobId id, JobSpec spec, String digest, String payloadDigest, Instant submittedAt, JobState state,
                     int replicasWanted, int attempts, int open, int nextReplica, Instant finishedAt,
                     String acceptedDigest, String failureReason) {
        this.id = id;
        this.spec = spec;
        this.digest = digest;
        this.payloadDigest = payloadDigest;
        this.submittedAt = submittedAt;
        this.state = state;
        this.replicasWanted = replicasWanted;
        this.attempts = attempts;
        this.open = open;
        this.nextReplica = nextReplica;
        this.finishedAt = finishedAt;
        this.acceptedDigest = acceptedDigest;
        this.failureReason = failureReason;
    }

    /**
     * A fresh snapshot every time. Caching it would make a long-queued (old-generation) record
     * point at a young object after every change, which costs more in collection than the
     * allocation saves.
     *
     * @return the job as the SPI reports it
     */
    public final Job snapshot() {
        return new Job(id, spec, digest, payloadDigest, state, replicasWanted, attempts, submittedAt, finishedAt,
                acceptedDigest, failureReason);
    }

    /**
     * Returns the job's id.
     *
     * @return the job's id
     */
    public final JobId id() {
        return id;
    }

    /**
     * Returns what was submitted.
     *
     * @return what was submitted
     */
    public final JobSpec spec() {
        return spec;
    }

    /**
     * Returns the digest of the submission.
     *
     * @return the digest of the submission
     */
    public final String digest() {
        return digest;
    }

    /**
     * Returns the state.
     *
     * @return the state
     */
    public final JobState state() {
        return state;
    }

    /**
     * Returns replicas wanted in all.
     *
     * @return replicas wanted in all
     */
    public final int replicasWanted() {
        return replicasWanted;
    }

    /**
     * Returns failed attempts so far.
     *
     * @return failed attempts so far
     */
    public final int attempts() {
        return attempts;
    }

    /**
     * Returns replicas waiting for a worker.
     *
     * @return replicas waiting for a worker
     */
    public final int open() {
        return open;
    }

    /**
     * Returns the number the next leased replica gets.
     *
     * @return the number the next leased replica gets
     */
    public final int nextReplica() {
        return nextReplica;
    }

    /**
     * Returns when the store accepted the job.
     *
     * @return when the store accepted the job
     */
    public final Instant submittedAt() {
        return submittedAt;
    }

    /**
     * Returns when the job reached a final state, or null.
     *
     * @return when the job reached a final state, or null
     */
    public final Instant finishedAt() {
        return finishedAt;
    }

    /**
     * Returns the accepted digest, or null.
     *
     * @return the accepted digest, or null
     */
    public final String acceptedDigest() {
        return acceptedDigest;
    }

    /**
     * Returns why it failed or was cancelled, or null.
     *
     * @return why it failed or was cancelled, or null
     */
    public final String failureReason() {
        return failureReason;
    }

    /**
     * Returns whether a replica waits for a worker.
     *
     * @return whether a replica waits for a worker
     */
    public final boolean wantsReplicas() {
        return open > 0 && !state.isFinal();
    }

    /**
     * Returns the live leases (do not change the list).
     *
     * @return the live leases (do not change the list)
     */
    public final List<LeaseRecord> leases() {
        return leases;
    }

    /**
     * Returns the answers, oldest first (do not change the list).
     *
     * @return the answers, oldest first (do not change the list)
     */
    public final List<StoredResult> results() {
        return results;
    }

    /**
     * Returns {@code worker}'s live lease on {@code replica}, or null; its deadline may have passed.
     *
     * @param replica the replica number
     * @param worker  the holder
     * @return {@code worker}'s live lease on {@code replica}, or null; its deadline may have passed
     */
    public final LeaseRecord liveLease(int replica, WorkerId worker) {
        for (LeaseRecord l : leases) {
            if (l.replica() == replica && l.worker().equals(worker)) {
                return l;
            }
        }
        return null;
    }

    /**
     * Returns what {@code worker} answered for {@code replica}, or null.
     *
     * @param replica the replica number
     * @param worker  the worker that answered
     * @return what {@code worker} answered for {@code replica}, or null
     */
    public final StoredResult result(int replica, WorkerId worker) {
        for (StoredResult r : results) {
            if (r.replica() == replica && r.worker().equals(worker)) {
                return r;
            }
        }
        return null;
    }

    // ---- mechanics a store uses while leasing and loading ----

    /** Takes one waiting replica off the count, as a store does when it picks the job to lease. */
    public final void takeOpenReplica() {
        open--;
    }

    /**
     * Numbers the next replica for a new lease; a queued job starts running.
     *
     * @return the replica number
     */
    public final int startReplica() {
        refuseIfFinal("lease a replica");
        if (state == JobState.QUEUED) {
            state = JobState.RUNNING;
        }
        return nextReplica++;
    }

    /**
     * Adds a live lease, when leasing or loading the job.
     *
     * @param lease a lease on a replica of this job
     */
    public final void addLease(LeaseRecord lease) {
        if (leases.isEmpty()) {
            leases = new ArrayList<>(2);
        }
        leases.add(lease);
    }

    /**
     * Marks the job a hidden spot-check, when storing or loading it.
     *
     * @param check what makes it a spot-check, or null for real work
     */
    public final void spotCheck(SpotCheck check) {
        this.spotCheck = check;
    }

    /**
     * Returns what makes the job a hidden spot-check, or null for real work.
     *
     * @return what makes the job a hidden spot-check, or null for real work
     */
    public final SpotCheck spotCheck() {
        return spotCheck;
    }

    /**
     * Adds an answer after the earlier ones, when loading the job.
     *
     * @param result an answer for a replica of this job
     */
    public final void addResult(StoredResult result) {
        if (results.isEmpty()) {
            results = new ArrayList<>(2);
        }
        results.add(result);
    }

    // ---- changes only JobLifecycle makes ----

    final void removeLease(LeaseRecord lease) {
        leases.remove(lease);
        if (leases.isEmpty()) {
            leases = List.of();
        }
    }

    final void countAttempt() {
        attempts++;
    }

    final void reopen(int replicas) {
        open += replicas;
    }

    final void addReplicas(int count) {
        replicasWanted += count;
        open += count;
    }

    /** Puts a running job nobody works on back in the queue. */
    final void requeue() {
        if (state != JobState.RUNNING) {
            throw new IllegalStateException("job " + id + " is " + state + "; only a running job is queued again");
        }
        state = JobState.QUEUED;
    }

    final void finish(JobState state, Instant at, String acceptedDigest, String failureReason) {
        refuseIfFinal("become " + state);
        if (!state.isFinal()) {
            throw new IllegalArgumentException(state + " is not a final state");
        }
        this.state = state;
        this.finishedAt = at;
        this.open = 0;
        this.acceptedDigest = acceptedDigest;
        this.failureReason = failureReason;
    }

    /**
     * Takes back an acceptance: the job runs again on the answers it has, wanting no replica until
     * the trust policy asks for more. The one way out of a final state, and only out of ACCEPTED,
     * because a retraction is announced ({@link JobLifecycle#reconsider}), never silent.
     */
    final void retract() {
        if (state != JobState.ACCEPTED) {
            throw new IllegalStateException("job " + id + " is " + state + "; only an accepted job is retracted");
        }
        state = JobState.RUNNING;
        finishedAt = null;
        acceptedDigest = null;
    }

    /** Illegal transitions are refused rather than written: a final job stays as it ended. */
    private void refuseIfFinal(String what) {
        if (state.isFinal()) {
            throw new IllegalStateException("job " + id + " is " + state + " and cannot " + what);
        }
    }
}
