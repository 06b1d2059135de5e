package io.sluice.app.config;

import io.sluice.domain.sla.CircuitSettings;
import io.sluice.domain.sla.RetrySettings;
import io.sluice.domain.sla.SlaTier;
import java.util.Map;

/** The configured SLA policies: tiers by name, the tier of calls that name none, retries and circuits. Immutable. */
public record SlaSettings(Map<String, SlaTier> tiers, String defaultTier, RetrySettings retries, CircuitSettings circuits) {
    public SlaSettings {
        tiers = Map.copyOf(tiers);
        if (!tiers.containsKey(defaultTier)) {
            throw new IllegalArgumentException("the default tier '" + defaultTier + "' is not a tier; tiers: " + new java.util.TreeSet<>(tiers.keySet()));
        }
    }

    public static SlaSettings ofDefaults() {
        return new SlaSettings(SlaTier.DEFAULTS, SlaTier.DEEP.name(), RetrySettings.DEFAULTS, CircuitSettings.DEFAULTS);
    }
}
