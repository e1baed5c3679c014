package dev.muster.core;

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
 * <p>Only jobs any worker may run are repeated: a job that needs a rare platform is where a
 * cartel claiming that platform holds the largest share of the keys, so its acceptance is the
 * weakest known answer, and a wrong one would make honest keys fail the check.
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
            if (repeatChance < 1 && draw() >= repeatChance) {
                continue;
            }
            JobSpec spec = job.spec().toBuilder().submitter(SpotCheck.SUBMITTER).idempotencyKey(null).build();
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

    /** Reports arrive on many threads; a generator given by the embedder need not be thread-safe. */
    private synchronized double draw() {
        return random.nextDouble();
    }

    /** @return whether the job is one of the coordinator's spot-checks */
    static boolean isSpotCheck(Job job) {
        return SpotCheck.SUBMITTER.equals(job.spec().submitter());
    }
}
