package io.sluice.engine;

import io.sluice.engine.models.ModelRegistry;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.ContextStrategy;
import io.sluice.engine.routing.Routing;
import java.util.List;
import java.util.Optional;

/** The models a call may be served by, in order (a route's chain, or the one model it names), and its route if any. */
record Selection(List<ModelRegistry.Target> targets, Optional<Routing> routing) {
    Selection {
        targets = List.copyOf(targets);
    }

    /** The first model, with the smallest context window of the chain: a fallback must not get a context too large for it. */
    ModelRegistry.Target planning() {
        ModelRegistry.Target first = targets.getFirst();
        int window = targets.stream().mapToInt(t -> t.spec().contextWindow()).min().orElseThrow();
        if (window == first.spec().contextWindow()) return first;
        ModelSpec s = first.spec();
        return new ModelRegistry.Target(new ModelSpec(s.name(), s.provider(), s.upstreamName(), window, s.encoding(), s.prices()),
                first.endpoints());
    }

    Optional<ContextStrategy> routeStrategy() {
        return routing.flatMap(Routing::contextStrategy);
    }

    /** Counts the call in its route's deployment health, when it came by a route. */
    void recordCall(long latencyNanos, Throwable error) {
        routing.ifPresent(r -> r.stats().record(latencyNanos, error != null));
    }

    String route() {
        return routing.map(Routing::route).orElse(null);
    }
}
