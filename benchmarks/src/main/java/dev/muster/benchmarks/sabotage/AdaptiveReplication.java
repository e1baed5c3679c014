package dev.muster.benchmarks.sabotage;

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
import java.util.Random;

/**
 * BOINC-style adaptive replication, the baseline the credibility policy is compared with: a job
 * starts with one replica; a result from a worker with {@code n >= trustAfter} consecutive valid
 * results is accepted alone with probability {@code 1 - 1/n}, otherwise the job takes replicas
 * until two agree. Agreeing workers' counts go up, outvoted workers' go back to zero.
 *
 * <p>For the simulator only: it keeps its history in memory and changes it inside
 * {@link #decide}, which the {@link TrustPolicy} contract does not allow in general; the
 * simulator is single-threaded and seeded, so the run is deterministic.
 */
final class AdaptiveReplication implements TrustPolicy {
    private final int trustAfter;
    private final int maxReplicas;
    private final Random random;
    private final Map<WorkerId, Integer> consecutive = new HashMap<>();

    AdaptiveReplication(int trustAfter, int maxReplicas, long seed) {
        this.trustAfter = trustAfter;
        this.maxReplicas = maxReplicas;
        this.random = new Random(seed);
    }

    @Override
    public String name() {
        return "adaptive";
    }

    @Override
    public void admit(Registration registration, WorkerId id) {
        // an open pool
    }

    @Override
    public int initialReplicas(JobSpec spec) {
        return 1;
    }

    @Override
    public boolean distinctOwners() {
        return true;
    }

    @Override
    public Decision decide(Job job, List<StoredResult> results) {
        Map<String, Integer> votes = new HashMap<>();
        for (StoredResult r : results) {
            if (r.valid() && votes.merge(r.resultDigest(), 1, Integer::sum) >= 2) {
                settle(results, r.resultDigest());
                return new Decision.Accept(r.resultDigest(), 1.0);
            }
        }
        if (results.size() == 1 && results.get(0).valid()) {
            StoredResult only = results.get(0);
            int n = consecutive.getOrDefault(only.worker(), 0);
            if (n >= trustAfter && random.nextDouble() >= 1.0 / n) {
                consecutive.merge(only.worker(), 1, Integer::sum);
                return new Decision.Accept(only.resultDigest(), 1.0);
            }
        }
        if (results.size() < job.replicasWanted()) {
            return new Decision.Wait();
        }
        if (job.replicasWanted() >= maxReplicas) {
            return new Decision.Fail("no two results agree within " + maxReplicas + " replicas");
        }
        return new Decision.AddReplicas(1, "no two results agree yet");
    }

    private void settle(List<StoredResult> results, String accepted) {
        for (StoredResult r : results) {
            if (r.valid() && r.resultDigest().equals(accepted)) {
                consecutive.merge(r.worker(), 1, Integer::sum);
            } else {
                consecutive.put(r.worker(), 0);
            }
        }
    }
}
