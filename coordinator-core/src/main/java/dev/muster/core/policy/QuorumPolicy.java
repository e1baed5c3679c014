package dev.muster.core.policy;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.Job;
import dev.muster.spi.JobSpec;
import dev.muster.spi.Registration;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.Decision;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The open pool: anyone may register; each job runs on {@code replicas} workers of different
 * owners, and a result is accepted when {@code agree} valid replicas report the same digest.
 * When every replica has answered without agreement, just enough replicas are added to make
 * agreement possible again, up to {@code maxReplicas}; past that the job fails as inconclusive.
 *
 * <p>Every agreeing replica is granted the same credit: the smallest claim among them, so one
 * worker cannot inflate its credit by claiming more than its peers.
 */
public final class QuorumPolicy implements TrustPolicy {
    private final int replicas;
    private final int agree;
    private final int maxReplicas;
    private final boolean distinctOwners;

    /**
     * @param replicas       replicas each job starts with
     * @param agree          matching valid results needed to accept, at most {@code replicas}
     * @param maxReplicas    most replicas a job may grow to
     * @param distinctOwners whether replicas of one job must go to different owners
     * @throws ConfigurationException if the numbers contradict each other
     */
    public QuorumPolicy(int replicas, int agree, int maxReplicas, boolean distinctOwners) {
        if (agree < 1 || replicas < agree || maxReplicas < replicas) {
            throw new ConfigurationException("quorum needs 1 <= trust.agree <= trust.replicas <= trust.maxReplicas;"
                    + " got agree=" + agree + ", replicas=" + replicas + ", maxReplicas=" + maxReplicas);
        }
        this.replicas = replicas;
        this.agree = agree;
        this.maxReplicas = maxReplicas;
        this.distinctOwners = distinctOwners;
    }

    @Override
    public String name() {
        return "quorum";
    }

    @Override
    public void admit(Registration registration, WorkerId id) {
        // Open registration: proof of key possession (checked by the coordinator) is all it takes.
    }

    @Override
    public int initialReplicas(JobSpec spec) {
        return replicas;
    }

    @Override
    public boolean distinctOwners() {
        return distinctOwners;
    }

    @Override
    public Decision decide(Job job, List<StoredResult> results) {
        Map<String, int[]> votes = new HashMap<>();
        int valid = 0;
        int largest = 0;
        for (StoredResult r : results) {
            if (!r.valid()) {
                continue;
            }
            valid++;
            int n = ++votes.computeIfAbsent(r.resultDigest(), d -> new int[1])[0];
            largest = Math.max(largest, n);
            if (n >= agree) {
                return new Decision.Accept(r.resultDigest(), smallestClaim(results, r.resultDigest()));
            }
        }
        if (valid < job.replicasWanted()) {
            return new Decision.Wait();
        }
        int needed = agree - largest;
        if (job.replicasWanted() + needed > maxReplicas) {
            return new Decision.Fail("inconclusive: " + valid + " valid results with " + votes.size()
                    + " different digests, no " + agree + " agree, and the cap of " + maxReplicas
                    + " replicas is reached");
        }
        return new Decision.AddReplicas(needed, valid + " valid results disagree");
    }

    private static double smallestClaim(List<StoredResult> results, String digest) {
        double min = Double.MAX_VALUE;
        for (StoredResult r : results) {
            if (r.valid() && r.resultDigest().equals(digest)) {
                min = Math.min(min, r.claimedCredit());
            }
        }
        return min;
    }

    @Override
    public String toString() {
        return "QuorumPolicy[replicas=" + replicas + ", agree=" + agree + ", maxReplicas=" + maxReplicas
                + ", distinctOwners=" + distinctOwners + "]";
    }
}
