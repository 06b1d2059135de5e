package io.sluice.app.config;

import io.sluice.domain.routing.Complexity;
import io.sluice.domain.routing.ComplexityClassifier;
import io.sluice.domain.routing.RouteSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The routes, the complexity classifier, and the SLA tier of each complexity. Immutable. */
public record RoutingSettings(List<RouteSpec> routes, ComplexityClassifier classifier, Map<Complexity, String> tierByComplexity) {
    /** Simple calls get the fast tier, moderate ones normal, complex ones deep. */
    public static final Map<Complexity, String> DEFAULT_TIERS = Map.of(Complexity.SIMPLE, "fast", Complexity.MODERATE, "normal",
            Complexity.COMPLEX, "deep");
    public static final RoutingSettings NONE = new RoutingSettings(List.of(), ComplexityClassifier.DEFAULTS, DEFAULT_TIERS);

    public RoutingSettings {
        routes = List.copyOf(routes);
        tierByComplexity = Map.copyOf(new EnumMap<>(tierByComplexity));
    }

    /** Every tier name the routes and the classifier refer to, to check against the configured tiers. */
    List<String> tiersInUse() {
        List<String> tiers = new ArrayList<>(tierByComplexity.values());
        for (RouteSpec r : routes) r.tier().ifPresent(tiers::add);
        return tiers;
    }
}
