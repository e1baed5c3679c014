package dev.muster.core;

import dev.muster.spi.CreditEntry;
import dev.muster.spi.Job;
import dev.muster.spi.JobState;
import dev.muster.spi.JobSpec;
import dev.muster.spi.MusterException;
import dev.muster.spi.Requirements;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.store.NewJob;
import dev.muster.spi.store.ResultOutcome;
import dev.muster.spi.store.SpotCheck;
import dev.muster.spi.store.Store;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes hidden spot-checks for a trust policy that asks for them ({@link
 * TrustPolicy#spotCheckRate()}): a share of accepted jobs is repeated under a fresh id, with the
 * same spec, seed, priority and replication, so that a worker cannot tell the repeat from real
 * work, and its accepted digest as the known answer. The store keeps the repeat from owners that
 * saw the seed. Repeating accepted jobs at {@code q / (1 - q)} makes spot-checks the share
 * {@code q} of all work.
 *
 * <p>Only strong known answers are repeated, since a wrong one bans the honest keys that answer
 * it right. A job qualifies if any worker may run it (a job that needs a rare platform is where a
 * cartel claiming that platform holds the largest share of the keys) and if results from two
 * owners or more agreed on it: where the policy lets one trusted key decide (below {@code fMax}
 * 0.05), a job it decided alone is as wrong as that key's rare errors, so only the audited jobs
 * qualify. The chance of repeating one rises by the share of accepted jobs that do not qualify,
 * so spot-checks stay the share {@code q} of the work, up to one repeat per job: a seed seen
 * twice would tell a cartel that pools its seeds which job is the check.
 *
 * <p>Best effort: a spot-check the store could not take is skipped (the results that caused it
 * are already recorded), never a reason to fail the report.
 */
final class SpotChecks {
    private static final Logger LOG = LoggerFactory.getLogger(SpotChecks.class);

    private final Store store;
    private final TrustPolicy policy;
    private final Events events;
    private final double repeatChance;
    private final RandomGenerator random;
    /** Accepted jobs any worker may run, and those among them with two owners agreeing; under the lock. */
    private long accepted;
    private long strong;

    SpotChecks(Store store, TrustPolicy policy, Events events, RandomGenerator random) {
        this.store = store;
        this.policy = policy;
        this.events = events;
        double q = policy.spotCheckRate();
        if (!(q >= 0 && q <= 0.5)) {
            throw new IllegalArgumentException("trust policy " + policy.name() + " asks for a spot-check rate of "
                    + q + "; it must be in [0, 0.5]");
        }
        this.repeatChance = q / (1 - q);
        this.random = random == null ? new SecureRandom() : random;
    }

    /** Repeats a share of the jobs these outcomes accepted as spot-checks. */
    void accepted(List<ResultOutcome> outcomes, Instant now) {
        if (repeatChance == 0) {
            return;
        }
        List<NewJob> checks = new ArrayList<>();
        for (ResultOutcome o : outcomes) {
            Job job = o.job();
            if (!o.finishedNow() || job == null || job.state() != JobState.ACCEPTED || isSpotCheck(job)
                    || !job.spec().requirements().equals(Requirements.NONE)) {
                continue;
            }
            if (!repeats(o.credits().stream().map(CreditEntry::owner).distinct().count() >= 2)) {
                continue;
            }
            JobSpec spec = job.spec().toBuilder().submitter(SpotCheck.SUBMITTER).idempotencyKey(null)
                    .traceparent(null).build();
            String payloadDigest = job.payloadDigest();
            checks.add(new NewJob(spec, spec.contentDigest(payloadDigest), payloadDigest, policy.initialReplicas(spec),
                    now, new SpotCheck(job.id(), job.acceptedDigest())));
        }
        if (checks.isEmpty()) {
            return;
        }
        try {
            store.submit(checks);
            events.workArrived();
        } catch (MusterException e) {
            LOG.debug("{} spot-checks skipped: {}", checks.size(), e.getMessage());
        }
    }

    /**
     * Whether to repeat an accepted job any worker may run. Reports arrive on many threads; a
     * generator given by the embedder need not be thread-safe.
     */
    private synchronized boolean repeats(boolean twoOwners) {
        accepted++;
        if (!twoOwners) {
            return false;
        }
        strong++;
        double chance = strong == accepted ? repeatChance : Math.min(1, repeatChance * accepted / strong);
        return chance >= 1 || random.nextDouble() < chance;
    }

    /** @return whether the job is one of the coordinator's spot-checks */
    static boolean isSpotCheck(Job job) {
        return SpotCheck.SUBMITTER.equals(job.spec().submitter());
    }
}
