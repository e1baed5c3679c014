package dev.muster.core.internal;

import dev.muster.core.policy.QuorumPolicy;
import dev.muster.spi.SettingsReader;
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
        SettingsReader s = SettingsReader.of("trust.", "quorum policy", settings,
                Set.of("replicas", "agree", "maxReplicas", "distinctOwners"));
        int replicas = s.integer("replicas", 2, 1, 100);
        int agree = s.integer("agree", Math.min(2, replicas), 1, 100);
        int max = s.integer("maxReplicas", replicas + 2, 1, 1000);
        return new QuorumPolicy(replicas, agree, max, s.bool("distinctOwners", true));
    }
}
