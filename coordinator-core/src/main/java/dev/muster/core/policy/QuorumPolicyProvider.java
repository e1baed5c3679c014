package dev.muster.core.policy;

import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.policy.TrustPolicyProvider;
import java.util.Map;
import java.util.Set;

/**
 * Creates a {@link QuorumPolicy} by the name {@code quorum}. Settings: {@code replicas} (default 2),
 * {@code agree} (default 2), {@code maxReplicas} (default replicas + 2), {@code distinctOwners}
 * (default true).
 */
public final class QuorumPolicyProvider implements TrustPolicyProvider {
    @Override
    public String name() {
        return "quorum";
    }

    @Override
    public TrustPolicy create(Map<String, String> settings) {
        Settings.onlyKnown(settings, "quorum", Set.of("replicas", "agree", "maxReplicas", "distinctOwners"));
        int replicas = Settings.integer(settings, "replicas", 2, 1, 100);
        int agree = Settings.integer(settings, "agree", Math.min(2, replicas), 1, 100);
        int max = Settings.integer(settings, "maxReplicas", replicas + 2, 1, 1000);
        return new QuorumPolicy(replicas, agree, max, Settings.bool(settings, "distinctOwners", true));
    }
}
