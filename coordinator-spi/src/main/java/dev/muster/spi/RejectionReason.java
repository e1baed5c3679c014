package dev.muster.spi;

/** Why a result (or a whole report) was rejected. */
public enum RejectionReason {
    /** The signature did not verify against the worker's key. */
    BAD_SIGNATURE,
    /** The worker holds no live lease on this job and replica. */
    NOT_LEASED,
    /** The same replica was reported before with a different result. */
    CONFLICTING_DUPLICATE,
    /**
     * The job already reached a final state. No longer given: a worker is not told the state of a
     * job it does not hold, and a finished job has no live leases, so such a report is
     * {@link #NOT_LEASED}. Kept so that clients that name it still compile.
     */
    JOB_FINISHED,
    /** The result's digest does not match its bytes. */
    DIGEST_MISMATCH,
    /** The reported seed is not the job's seed. */
    SEED_MISMATCH,
    /** The result is larger than the configured limit. */
    TOO_LARGE,
    /** The job type's validator refused the result. */
    INVALID,
    /** Other replicas agreed on a different result. */
    OUTVOTED,
    /**
     * Only in the rejection log, never a result's outcome: stands for a worker's rejections that
     * were not logged one by one because it was over its share of the log; the detail says how many.
     */
    SUPPRESSED
}
