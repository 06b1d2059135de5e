package io.sluice.ports.in;

import java.util.List;
import java.util.Map;

/** The routes' canary splits, for operators: each deployment's weight and health, and changing the weights at runtime. */
public interface RouteAdmin {
    /**
     * One deployment of a route: its weight, its degradation chain (models, most capable first, and each one's
     * capability: {@code complex}, {@code moderate}, {@code simple}), and the calls it took since the gateway started;
     * the latencies are of its most recent calls, null before the first.
     */
    record DeploymentReport(String name, int weight, List<String> chain, List<String> capabilities, long requests, long errors, double errorRate,
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

    /**
     * Sets the degradation chains of a route's deployments, by name; deployments not named keep theirs. Kept and spread
     * as {@link #setWeights}. Fails with {@link io.sluice.domain.error.RouteNotFoundException} when there is no such route,
     * with {@link io.sluice.domain.error.InvalidRequestException} when a name is not a deployment of it, a chain is empty,
     * names a model the gateway does not serve, or does not go from the most to the least capable model.
     */
    java.util.concurrent.CompletionStage<RouteReport> setChains(String route, Map<String, List<io.sluice.domain.routing.ChainLink>> chains);

    RouteAdmin NONE = new RouteAdmin() {
        @Override
        public List<RouteReport> routes() {
            return List.of();
        }

        @Override
        public java.util.concurrent.CompletionStage<RouteReport> setWeights(String route, Map<String, Integer> weights) {
            return java.util.concurrent.CompletableFuture.failedFuture(new io.sluice.domain.error.RouteNotFoundException(route));
        }

        @Override
        public java.util.concurrent.CompletionStage<RouteReport> setChains(String route, Map<String, List<io.sluice.domain.routing.ChainLink>> chains) {
            return java.util.concurrent.CompletableFuture.failedFuture(new io.sluice.domain.error.RouteNotFoundException(route));
        }
    };
}
