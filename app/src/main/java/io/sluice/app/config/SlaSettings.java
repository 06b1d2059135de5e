package io.sluice.app.config;

import io.sluice.domain.sla.CircuitSettings;
import io.sluice.domain.sla.RetrySettings;
import io.sluice.domain.sla.SlaTier;
import java.util.Map;

/**
 * The configured SLA policies: tiers by name, the tier of calls that name none, retries, circuits (and the endpoints
 * whose circuits have settings of their own) and routes. Immutable.
 */
public record SlaSettings(Map<String, SlaTier> tiers, String defaultTier, RetrySettings retries, CircuitSettings circuits,
                          RoutingSettings routing, Map<String, CircuitSettings> endpointCircuits) {
    public SlaSettings {
        tiers = Map.copyOf(tiers);
        endpointCircuits = endpointCircuits == null ? Map.of() : Map.copyOf(endpointCircuits);
        if (!tiers.containsKey(defaultTier)) {
            throw new IllegalArgumentException("the default tier '" + defaultTier + "' is not a tier; tiers: " + new java.util.TreeSet<>(tiers.keySet()));
        }
        routing = routing == null ? RoutingSettings.NONE : routing;
        for (String tier : routing.tiersInUse()) {
            if (!tiers.containsKey(tier)) {
                throw new IllegalArgumentException("routing names tier '" + tier + "', which is not a tier; tiers: " + new java.util.TreeSet<>(tiers.keySet()));
            }
        }
    }

    public SlaSettings(Map<String, SlaTier> tiers, String defaultTier, RetrySettings retries, CircuitSettings circuits) {
        this(tiers, defaultTier, retries, circuits, RoutingSettings.NONE, Map.of());
    }

    public SlaSettings(Map<String, SlaTier> tiers, String defaultTier, RetrySettings retries, CircuitSettings circuits, RoutingSettings routing) {
        this(tiers, defaultTier, retries, circuits, routing, Map.of());
    }

    public static SlaSettings ofDefaults() {
        return new SlaSettings(SlaTier.DEFAULTS, SlaTier.DEEP.name(), RetrySettings.DEFAULTS, CircuitSettings.DEFAULTS);
    }

    public SlaSettings withRouting(RoutingSettings value) {
        return new SlaSettings(tiers, defaultTier, retries, circuits, value, endpointCircuits);
    }

    public SlaSettings withEndpointCircuits(Map<String, CircuitSettings> value) {
        return new SlaSettings(tiers, defaultTier, retries, circuits, routing, value);
    }
}
