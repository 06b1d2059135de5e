package io.sluice.domain.routing;

import io.sluice.domain.Require;
import io.sluice.domain.ContextStrategy;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A name clients use as their {@code model}, served by one or more weighted deployments (a canary split when more
 * than one), with the route's default SLA tier and context strategy; and the time windows (in {@code zone}) when it
 * is served otherwise ({@link #inWindow}). Immutable.
 */
public record RouteSpec(String name, List<Deployment> deployments, Optional<String> tier, Optional<ContextStrategy> contextStrategy,
                        ZoneId zone, List<TimeWindow> windows) {
    public RouteSpec {
        Require.nonBlank(name, "name");
        deployments = List.copyOf(Require.nonEmpty(deployments, "deployments"));
        Set<String> names = new HashSet<>();
        for (Deployment d : deployments) {
            if (!names.add(d.name())) throw new IllegalArgumentException("route '" + name + "' has two deployments named '" + d.name() + "'");
        }
        CanarySplit.requirePositiveTotal(name, deployments);
        tier = tier == null ? Optional.empty() : tier;
        contextStrategy = contextStrategy == null ? Optional.empty() : contextStrategy;
        zone = zone == null ? java.time.ZoneOffset.UTC : zone;
        windows = windows == null ? List.of() : List.copyOf(windows);
        Set<String> windowNames = new HashSet<>();
        for (TimeWindow w : windows) {
            if (!windowNames.add(w.name())) throw new IllegalArgumentException("route '" + name + "' has two windows named '" + w.name() + "'");
            for (String d : w.weights().keySet()) {
                if (!names.contains(d)) throw new IllegalArgumentException("window '" + w.name() + "' weighs '" + d + "', which is not a deployment of route '" + name + "'");
            }
        }
        for (TimeWindow w : windows) inWindow(name, deployments, tier, contextStrategy, w); // a window that cannot be served is refused now
    }

    /** A route served the same way at every hour. */
    public RouteSpec(String name, List<Deployment> deployments, Optional<String> tier, Optional<ContextStrategy> contextStrategy) {
        this(name, deployments, tier, contextStrategy, java.time.ZoneOffset.UTC, List.of());
    }

    /** This route with other deployments (new weights), its windows kept. */
    public RouteSpec withDeployments(List<Deployment> changed) {
        return new RouteSpec(name, changed, tier, contextStrategy, zone, windows);
    }

    /**
     * The route as it is served in {@code window}: every deployment's chain replaced by the window's chain, if it has
     * one; the weights it names replaced; its tier, if it has one. Without windows of its own.
     */
    public RouteSpec inWindow(TimeWindow window) {
        return inWindow(name, deployments, tier, contextStrategy, window);
    }

    private static RouteSpec inWindow(String name, List<Deployment> deployments, Optional<String> tier, Optional<ContextStrategy> strategy,
                                      TimeWindow window) {
        List<Deployment> changed = new ArrayList<>();
        for (Deployment d : deployments) {
            Deployment served = window.chain().map(chain -> new Deployment(d.name(), d.weight(), chain)).orElse(d);
            Integer weight = window.weights().get(d.name());
            changed.add(weight == null ? served : served.withWeight(weight));
        }
        return new RouteSpec(name, changed, window.tier().or(() -> tier), strategy);
    }
}
