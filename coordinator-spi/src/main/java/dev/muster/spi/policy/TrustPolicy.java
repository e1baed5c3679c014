package dev.muster.spi.policy;

import dev.muster.spi.Job;
import dev.muster.spi.JobSpec;
import dev.muster.spi.Registration;
import dev.muster.spi.RegistrationRefusedException;
import dev.muster.spi.WorkerId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
    /**
     * Returns the policy's name, as configured.
     *
     * @return the policy's name, as configured
     */
    String name();

    /**
     * Admits or refuses a worker whose key possession is already proven.
     *
     * @param registration what the worker registers with
     * @param id           the worker's id, derived from its key
     * @throws RegistrationRefusedException if the worker may not join
     */
    void admit(Registration registration, WorkerId id);

    /**
     * Returns how many replicas a new job starts with, at least 1.
     *
     * @param spec the submitted job
     * @return how many replicas a new job starts with, at least 1
     */
    int initialReplicas(JobSpec spec);

    /**
     * Returns whether two replicas of one job must go to different owners (and so different workers); a
     * worker never holds two replicas of one job either way.
     *
     * @return whether two replicas of one job must go to different owners (and so different
     *     workers); a worker never holds two replicas of one job either way
     */
    boolean distinctOwners();

    /**
     * Returns what to do next.
     *
     * @param job     the job, with the replicas asked for so far in {@link Job#replicasWanted()}
     * @param results every result recorded for the job, valid or not, oldest first
     * @return what to do next
     */
    Decision decide(Job job, List<StoredResult> results);

    /**
     * Returns whether this policy counts owners, and so needs them verified: workers then register
     * under an owner account with its secret, never a name they merely declare.
     *
     * @return false, the default
     */
    default boolean ownerAccounts() {
        return false;
    }

    /**
     * Returns whether this policy weighs results by the standing of the keys that reported them
     * ({@link KeyTrust}). Only then does a store read standings for {@link #decide(Job, List, Map)}
     * and ask {@link #outvoted} and {@link #countsAttempt}; a policy that does not judge keys costs
     * the store nothing extra.
     *
     * @return false, the default
     */
    default boolean judgesKeys() {
        return false;
    }

    /**
     * Decides with the standing of the keys that reported, for a policy that {@linkplain
     * #judgesKeys() judges keys}; the default ignores it.
     *
     * @param job      the job, with the replicas asked for so far in {@link Job#replicasWanted()}
     * @param results  every result recorded for the job, valid or not, oldest first
     * @param standing the standing of every key with a result in {@code results}
     * @return what to do next
     */
    default Decision decide(Job job, List<StoredResult> results, Map<WorkerId, KeyTrust> standing) {
        return decide(job, results);
    }

    /**
     * Returns a key's standing after one of its valid results lost a dispute (another digest was
     * accepted for the same job). Called in the store's call that accepted the job; a standing
     * returned {@linkplain KeyTrust#banned() banned} bans the worker in the same call.
     *
     * @param before the key's standing
     * @param lost   the result that lost
     * @param at     when the job was accepted
     * @return the new standing; the default keeps {@code before}
     */
    default KeyTrust outvoted(KeyTrust before, StoredResult lost, Instant at) {
        return before;
    }

    /**
     * Returns a key's standing after the acceptance that outvoted one of its results was retracted:
     * a strike stands only as long as the acceptance that caused it. Called in the store's call that
     * retracts; a banned key stays banned.
     *
     * @param before the key's standing
     * @param result its result that had lost
     * @param at     when the acceptance was retracted
     * @return the new standing; the default keeps {@code before}
     */
    default KeyTrust vindicated(KeyTrust before, StoredResult result, Instant at) {
        return before;
    }

    /**
     * Returns a key's standing after it answered a hidden spot-check: rightly, or wrongly (another
     * digest, or an invalid result). Called in the store's call that records the answer; a
     * standing returned {@linkplain KeyTrust#banned() banned} bans the worker in the same call.
     *
     * @param before the key's standing
     * @param passed whether the answer was right
     * @param answer the answer
     * @param at     when it was recorded
     * @return the new standing; the default keeps {@code before}
     */
    default KeyTrust spotChecked(KeyTrust before, boolean passed, StoredResult answer, Instant at) {
        return before;
    }

    /**
     * Returns a key's standing after its answer to a hidden spot-check proved the known answer
     * wrong: the job the spot-check repeated lost its acceptance (a key it relied on was banned),
     * and the answer disagreed with the digest taken back. A ban the failed spot-check caused
     * should be lifted; the coordinator then lets the worker in again. Called outside the store
     * call that retracted.
     *
     * @param before the key's standing
     * @param answer its answer to the spot-check
     * @param at     when the known answer was voided
     * @return the new standing; the default keeps {@code before}
     */
    default KeyTrust spotCheckVoided(KeyTrust before, StoredResult answer, Instant at) {
        return before;
    }

    /**
     * Returns the share of the work, between 0 and 0.5, that should be hidden spot-checks: the
     * coordinator repeats that share of accepted jobs as {@link dev.muster.spi.store.SpotCheck}s.
     *
     * @return 0, the default: no spot-checks
     */
    default double spotCheckRate() {
        return 0;
    }

    /**
     * Returns how many hidden spot-checks a key must pass before it is given ordinary work while
     * spot-checks wait for it: until then the coordinator leases it spot-checks first, so that a
     * fresh key is tested before its answers weigh on real jobs, and a key thrown away after one
     * cheat pays for its next identity with work whose answer is known. A key on probation is
     * given ordinary work only when no spot-check it may take is waiting, so that it never starves.
     *
     * @return 0, the default: no probation
     */
    default long probation() {
        return 0;
    }

    /**
     * Returns whether an invalid result from this key uses up one of its job's attempts. A policy
     * for open pools says no for keys without history, so that throw-away keys cannot fail jobs.
     *
     * @param reporter the reporting key's standing
     * @return true, the default
     */
    default boolean countsAttempt(KeyTrust reporter) {
        return true;
    }

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
