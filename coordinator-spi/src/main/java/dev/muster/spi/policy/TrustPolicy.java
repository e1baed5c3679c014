package dev.muster.spi.policy;

import dev.muster.spi.Job;
import dev.muster.spi.JobSpec;
import dev.muster.spi.Registration;
import dev.muster.spi.RegistrationRefusedException;
import dev.muster.spi.WorkerId;
import java.util.List;
import java.util.Optional;

/**
 * Decides who may join and when a job's results are good enough. A trusted pool admits only
 * listed keys and lets one valid result decide; an open pool admits anyone and needs independent
 * replicas to agree.
 *
 * <p>{@link #decide} is called by the store while it holds the job's lock (or transaction), so it
 * must be fast, side-effect free and thread-safe.
 */
public interface TrustPolicy {
    /** @return the policy's name, as configured */
    String name();

    /**
     * Admits or refuses a worker whose key possession is already proven.
     *
     * @throws RegistrationRefusedException if the worker may not join
     */
    void admit(Registration registration, WorkerId id);

    /** @return how many replicas a new job starts with, at least 1 */
    int initialReplicas(JobSpec spec);

    /**
     * @return whether two replicas of one job must go to different owners (and so different
     *     workers); a worker never holds two replicas of one job either way
     */
    boolean distinctOwners();

    /**
     * @param job     the job, with the replicas asked for so far in {@link Job#replicasWanted()}
     * @param results every result recorded for the job, valid or not, oldest first
     * @return what to do next
     */
    Decision decide(Job job, List<StoredResult> results);

    /**
     * Returns the list of admitted keys, for a policy that keeps one that may change while the pool
     * runs. A policy that wraps another should return the wrapped one's.
     *
     * @return the list, or empty (the default) if this policy keeps none
     */
    default Optional<Allowlist> allowlist() {
        return Optional.empty();
    }
}
