package io.sluice.domain.routing;

import io.sluice.domain.Require;
import io.sluice.domain.ContextStrategy;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A name clients use as their {@code model}, served by one or more weighted deployments (a canary split when more
 * than one), with the route's default SLA tier and context strategy. Immutable.
 */
public record RouteSpec(String name, List<Deployment> deployments, Optional<String> tier, Optional<ContextStrategy> contextStrategy) {
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
    }
}
