package dev.muster.spi.policy;

import dev.muster.spi.ConfigurationException;
import dev.muster.spi.Plugin;
import java.util.Map;

/** Creates a {@link TrustPolicy} from settings; found with {@link java.util.ServiceLoader} by {@link #name()}. */
public interface TrustPolicyProvider extends Plugin {
    /**
     * Returns the policy.
     *
     * @param settings the policy's settings, without their {@code trust.} prefix
     * @return the policy
     * @throws ConfigurationException if a setting is missing or malformed
     */
    TrustPolicy create(Map<String, String> settings);
}
