package io.sluice.app.config;

import io.sluice.domain.routing.Complexity;
import io.sluice.domain.routing.ComplexityClassifier;
import io.sluice.domain.routing.RouteSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The routes, the complexity classifier, the SLA tier of each complexity, and the routes' fallback replies. Immutable. */
public record RoutingSettings(List<RouteSpec> routes, ComplexityClassifier classifier, Map<Complexity, String> tierByComplexity,
                              Map<String, io.sluice.domain.sla.FallbackReply> fallbackReplies, List<io.sluice.engine.routing.CanaryPolicy> canaries) {
    /** Simple calls get the fast tier, moderate ones normal, complex ones deep. */
    public static final Map<Complexity, String> DEFAULT_TIERS = Map.of(Complexity.SIMPLE, "fast", Complexity.MODERATE, "normal",
            Complexity.COMPLEX, "deep");
    public static final RoutingSettings NONE = new RoutingSettings(List.of(), ComplexityClassifier.DEFAULTS, DEFAULT_TIERS, Map.of(), List.of());

    public RoutingSettings(List<RouteSpec> routes, ComplexityClassifier classifier, Map<Complexity, String> tierByComplexity,
                           Map<String, io.sluice.domain.sla.FallbackReply> fallbackReplies) {
        this(routes, classifier, tierByComplexity, fallbackReplies, List.of());
    }

    public RoutingSettings {
        canaries = canaries == null ? List.of() : List.copyOf(canaries);
        routes = List.copyOf(routes);
        tierByComplexity = Map.copyOf(new EnumMap<>(tierByComplexity));
        fallbackReplies = fallbackReplies == null ? Map.of() : Map.copyOf(fallbackReplies);
    }

    public RoutingSettings(List<RouteSpec> routes, ComplexityClassifier classifier, Map<Complexity, String> tierByComplexity) {
        this(routes, classifier, tierByComplexity, Map.of());
    }

    /** Every tier name the routes and the classifier refer to, to check against the configured tiers. */
    List<String> tiersInUse() {
        List<String> tiers = new ArrayList<>(tierByComplexity.values());
        for (RouteSpec r : routes) {
            r.tier().ifPresent(tiers::add);
            for (var window : r.windows()) window.tier().ifPresent(tiers::add);
        }
        return tiers;
    }
}
