package dev.muster.core.internal;

import dev.muster.core.policy.CredibilityPolicy;
import dev.muster.spi.SettingsReader;
import dev.muster.spi.policy.TrustPolicy;
import dev.muster.spi.policy.TrustPolicyProvider;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Creates a {@link CredibilityPolicy} by the name {@code credibility}, the open pool's policy.
 * Settings: {@code fMax} (default 0.2: the share of identities and work the pool withstands),
 * {@code epsilon} (default 1e-4: the accepted error per job), {@code epsilon.<type>} (per job
 * type), {@code maturity} (default 100 passed spot-checks), {@code strikesToBan} (default 2),
 * {@code maxReplicas} (default 30), {@code audit} (default 0.1, used when fMax is below 0.05),
 * {@code spotChecks} (default 0.1: the share of work that is hidden spot-checks), {@code probation}
 * (default 10: the spot-checks a key passes before it is given ordinary work while spot-checks wait),
 * {@code strikeExpiry} (default 20: the spot-checks passed after a strike that take it back; 0 never).
 */
public final class CredibilityPolicyProvider implements TrustPolicyProvider {
    private static final String BY_TYPE = "epsilon.";

    @Override
    public String name() {
        return "credibility";
    }

    @Override
    public TrustPolicy create(Map<String, String> settings) {
        Set<String> known = new HashSet<>(Set.of("fMax", "epsilon", "maturity", "strikesToBan", "maxReplicas",
                "audit", "spotChecks", "probation", "strikeExpiry"));
        settings.keySet().stream().filter(k -> k.startsWith(BY_TYPE) && k.length() > BY_TYPE.length())
                .forEach(known::add);
        SettingsReader s = SettingsReader.of("trust.", "credibility policy", settings, known);
        Map<String, Double> byType = new HashMap<>();
        for (String key : known) {
            if (key.startsWith(BY_TYPE)) {
                byType.put(key.substring(BY_TYPE.length()), s.decimal(key, 1e-4, 1e-12, 0.1));
            }
        }
        long maturity = s.longInteger("maturity", 100, 1, 1_000_000);
        return new CredibilityPolicy(s.decimal("fMax", 0.2, 1e-6, 0.499), s.decimal("epsilon", 1e-4, 1e-12, 0.1),
                byType, maturity, s.integer("strikesToBan", 2, 2, 100),
                s.integer("maxReplicas", 30, 2, 1000), s.decimal("audit", 0.1, 0.01, 1),
                s.decimal("spotChecks", 0.1, 0.01, 0.5),
                s.longInteger("probation", Math.min(10, maturity), 0, maturity),
                s.longInteger("strikeExpiry", CredibilityPolicy.STRIKE_EXPIRY, 0, 1_000_000));
    }
}
