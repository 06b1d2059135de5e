package io.sluice.ports.out;

import io.sluice.domain.Require;
import io.sluice.domain.routing.ChainLink;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The canary weights and degradation chains set at runtime (through the admin API, a ramp or an automatic rollback),
 * one entry per route: they
 * outlive a restart and reach every replica, which applies them over the configured weights. Implementations are
 * thread-safe.
 */
public interface RouteWeightStore {
    /**
     * A route's weights as last set: every deployment's, in order; the degradation chains set at runtime, by deployment
     * (those not named keep the configured chain); {@code version} grows by one with each change of the route; when,
     * and by whom ({@code admin}, {@code ramp}, {@code rollback}).
     */
    record Change(String route, Map<String, Integer> weights, Map<String, List<ChainLink>> chains, long version, Instant at, String by) {
        public Change {
            Require.nonBlank(route, "route");
            weights = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Require.nonNull(weights, "weights")));
            Map<String, List<ChainLink>> copied = new LinkedHashMap<>();
            Require.nonNull(chains, "chains").forEach((deployment, chain) -> copied.put(deployment, List.copyOf(chain)));
            chains = java.util.Collections.unmodifiableMap(copied);
            Require.nonNull(at, "at");
            Require.nonBlank(by, "by");
        }

        /** A change of weights alone, on a route whose chains are the configured ones. */
        public Change(String route, Map<String, Integer> weights, long version, Instant at, String by) {
            this(route, weights, Map.of(), version, at, by);
        }
    }

    /**
     * Stores {@code weights} as {@code route}'s, one version past its last, if its last is still {@code expectedVersion}
     * (0: none stored yet); returns the change as stored, or empty when another change came first (so that no change
     * made from a stale view undoes a newer one).
     */
    CompletionStage<java.util.Optional<Change>> save(String route, Map<String, Integer> weights, Map<String, List<ChainLink>> chains, Instant at,
                                                     String by, long expectedVersion);

    /** Each route's latest change. */
    CompletionStage<List<Change>> all();
}
