package io.sluice.ports.in;

import java.util.List;
import java.util.Map;

/** The routes' canary splits, for operators: each deployment's weight and health, and changing the weights at runtime. */
public interface RouteAdmin {
    /**
     * One deployment of a route: its weight, its degradation chain, and the calls it took since the gateway started;
     * the latencies are of its most recent calls, null before the first.
     */
    record DeploymentReport(String name, int weight, List<String> chain, long requests, long errors, double errorRate,
                            Double p50Millis, Double p95Millis) {}

    /** A route, its deployments outside any time window, and the time window it is served by now (null when none). */
    record RouteReport(String name, List<DeploymentReport> deployments, String activeWindow) {
        public RouteReport(String name, List<DeploymentReport> deployments) {
            this(name, deployments, null);
        }
    }

    List<RouteReport> routes();

    /**
     * Sets the weights of a route's deployments, by name; deployments not named keep theirs. The change is kept (it
     * outlives a restart) and reaches every replica. Fails with {@link io.sluice.domain.error.RouteNotFoundException}
     * when there is no such route, with {@link io.sluice.domain.error.InvalidRequestException} when a name is not a
     * deployment of it, a weight is negative, or no weight would be left positive.
     */
    java.util.concurrent.CompletionStage<RouteReport> setWeights(String route, Map<String, Integer> weights);

    RouteAdmin NONE = new RouteAdmin() {
        @Override
        public List<RouteReport> routes() {
            return List.of();
        }

        @Override
        public java.util.concurrent.CompletionStage<RouteReport> setWeights(String route, Map<String, Integer> weights) {
            return java.util.concurrent.CompletableFuture.failedFuture(new io.sluice.domain.error.RouteNotFoundException(route));
        }
    };
}
