package dev.muster.spi.store;

import dev.muster.spi.Job;
import dev.muster.spi.JobSpec;
import dev.muster.spi.Registration;
import dev.muster.spi.WorkerId;
import dev.muster.spi.policy.Decision;
import dev.muster.spi.policy.KeyTrust;
import dev.muster.spi.policy.StoredResult;
import dev.muster.spi.policy.TrustPolicy;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Minimal trust policies for exercising stores without the engine. */
public final class TestPolicies {
    private TestPolicies() {}

    /** One valid result decides; replicas may share an owner. */
    public static TrustPolicy firstValid() {
        return new TrustPolicy() {
            @Override public String name() { return "first-valid"; }
            @Override public void admit(Registration registration, WorkerId id) {}
            @Override public int initialReplicas(JobSpec spec) { return 1; }
            @Override public boolean distinctOwners() { return false; }
            @Override public Decision decide(Job job, List<StoredResult> results) {
                for (StoredResult r : results) {
                    if (r.valid()) {
                        return new Decision.Accept(r.resultDigest(), r.claimedCredit());
                    }
                }
                return new Decision.Wait();
            }
        };
    }

    /**
     * {@code agree} valid results with one digest decide; when every wanted replica answered
     * without agreement, one more is added up to {@code cap}, then the job fails.
     */
    public static TrustPolicy agreement(int replicas, int agree, int cap) {
        return new TrustPolicy() {
            @Override public String name() { return "agreement"; }
            @Override public void admit(Registration registration, WorkerId id) {}
            @Override public int initialReplicas(JobSpec spec) { return replicas; }
            @Override public boolean distinctOwners() { return true; }
            @Override public Decision decide(Job job, List<StoredResult> results) {
                Map<String, Integer> votes = new HashMap<>();
                int valid = 0;
                for (StoredResult r : results) {
                    if (r.valid()) {
                        valid++;
                        if (votes.merge(r.resultDigest(), 1, Integer::sum) >= agree) {
                            return new Decision.Accept(r.resultDigest(), r.claimedCredit());
                        }
                    }
                }
                if (valid < job.replicasWanted()) {
                    return new Decision.Wait();
                }
                if (job.replicasWanted() >= cap) {
                    return new Decision.Fail("no agreement among " + valid + " results");
                }
                return new Decision.AddReplicas(1, "results disagree");
            }
        };
    }

    /**
     * Like {@link #agreement}, but judging keys: results of banned keys do not count, a key whose
     * result is outvoted takes a strike and is banned at the second, and an invalid result of a
     * key that never passed a spot-check costs its job no attempt; a spot-check answered right is
     * a pass, answered wrong a ban.
     */
    public static TrustPolicy judging(int replicas, int agree) {
        TrustPolicy counting = agreement(replicas, agree, 100);
        return new TrustPolicy() {
            @Override public String name() { return "judging"; }
            @Override public void admit(Registration registration, WorkerId id) {}
            @Override public int initialReplicas(JobSpec spec) { return replicas; }
            @Override public boolean distinctOwners() { return true; }
            @Override public boolean judgesKeys() { return true; }
            @Override public Decision decide(Job job, List<StoredResult> results) {
                return counting.decide(job, results);
            }
            @Override public Decision decide(Job job, List<StoredResult> results, Map<WorkerId, KeyTrust> standing) {
                List<StoredResult> counted = results.stream().filter(r -> !standing.get(r.worker()).banned()).toList();
                Decision d = counting.decide(job, counted);
                if (d instanceof Decision.Wait && results.size() >= job.replicasWanted()) {
                    return new Decision.AddReplicas(1, "too few results of keys in good standing");
                }
                return d;
            }
            @Override public KeyTrust outvoted(KeyTrust before, StoredResult lost, Instant at) {
                KeyTrust struck = before.strike(at);
                return struck.strikes() >= 2 ? struck.ban("lost two disputes", at) : struck;
            }
            @Override public boolean countsAttempt(KeyTrust reporter) {
                return reporter.passed() > 0;
            }
            @Override public KeyTrust vindicated(KeyTrust before, StoredResult result, Instant at) {
                return before.forgive(at);
            }
            @Override public KeyTrust spotChecked(KeyTrust before, boolean passed, StoredResult answer, Instant at) {
                return passed ? before.pass(at) : before.ban("failed a spot-check", at);
            }
        };
    }
}
