package io.sluice.engine.routing;

import io.sluice.domain.ContextStrategy;
import io.sluice.domain.routing.Complexity;
import java.util.List;
import java.util.Optional;

/**
 * Where a call to a route goes: the deployment the canary split picked, the models of its chain from where the
 * classifier starts the call, the tier (the route's, else the one for the call's complexity) and the route's context
 * strategy, and the deployment's stats to record the call in.
 */
public record Routing(String route, String deployment, List<String> models, Complexity complexity, Optional<String> tier,
                      Optional<ContextStrategy> contextStrategy, DeploymentStats stats) {
    public Routing {
        models = List.copyOf(models);
    }
}
