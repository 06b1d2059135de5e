package io.sluice.engine;

import io.sluice.domain.Require;
import io.sluice.domain.sla.CircuitSettings;
import io.sluice.domain.sla.RetrySettings;
import io.sluice.domain.sla.SlaTier;
import io.sluice.engine.routing.Router;
import io.sluice.engine.sla.Circuits;
import io.sluice.ports.out.UpstreamEvents;
import java.util.Map;

/**
 * The SLA policies of a gateway: its tiers by name and the default one, the retry settings, the circuits (one per
 * model and endpoint, shared by every call) and the routes (degradation chains and canary splits). Thread-safe.
 */
public record SlaPolicy(Map<String, SlaTier> tiers, SlaTier defaultTier, RetrySettings retries, Circuits circuits, UpstreamEvents events,
                        Router router) {
    public SlaPolicy {
        tiers = Map.copyOf(tiers);
        Require.nonNull(defaultTier, "defaultTier");
        Require.nonNull(retries, "retries");
        Require.nonNull(circuits, "circuits");
        events = events == null ? UpstreamEvents.NONE : events;
        router = router == null ? Router.none() : router;
    }

    /** The defaults: fast 1 s, normal 3 s, deep 8 s; calls without a tier get {@code deep}, the most patient. */
    public static SlaPolicy ofDefaults() {
        return new SlaPolicy(SlaTier.DEFAULTS, SlaTier.DEEP, RetrySettings.DEFAULTS, new Circuits(CircuitSettings.DEFAULTS), UpstreamEvents.NONE,
                Router.none());
    }
}
