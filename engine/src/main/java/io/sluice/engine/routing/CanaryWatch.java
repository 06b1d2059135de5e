package io.sluice.engine.routing;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Watches each canary by its {@link CanaryPolicy}: rolls it back to weight 0 when its recent calls fail more often, or
 * answer slower, than the stable deployment's by more than the policy allows; otherwise takes its ramp's next step once
 * the last change of the route's weights is a ramp interval old. Each replica judges by the calls it served; a change
 * any one of them makes reaches all ({@link RouteWeights}). Thread-safe.
 */
public final class CanaryWatch {
    private static final System.Logger LOG = System.getLogger(CanaryWatch.class.getName());

    private final RouteWeights weights;
    private final Router router;
    private final List<CanaryPolicy> policies;
    private final Clock clock;
    private final Consumer<String> rolledBack;
    private final Instant started;

    /** @param rolledBack told each route rolled back here, for a counter */
    public CanaryWatch(RouteWeights weights, Router router, List<CanaryPolicy> policies, Clock clock, Consumer<String> rolledBack) {
        this.weights = weights;
        this.router = router;
        this.policies = List.copyOf(policies);
        this.clock = clock;
        this.rolledBack = rolledBack;
        this.started = clock.instant();
    }

    /** One look at every policy. */
    public CompletionStage<Void> check() {
        CompletableFuture<?>[] looks = policies.stream().map(p -> look(p).toCompletableFuture()).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(looks);
    }

    private CompletionStage<?> look(CanaryPolicy policy) {
        if (!router.isRoute(policy.route())) return CompletableFuture.completedFuture(null);
        Map<String, Integer> current = router.weightsAfter(policy.route(), Map.of());
        int canary = current.getOrDefault(policy.canary(), 0);
        int stable = current.getOrDefault(policy.stable(), 0);
        if (canary == 0) return CompletableFuture.completedFuture(null); // off, or rolled back: the operator brings it back
        String why = verdict(policy);
        if (why != null) {
            LOG.log(System.Logger.Level.WARNING, "route " + policy.route() + ": canary '" + policy.canary() + "' rolled back: " + why);
            rolledBack.accept(policy.route());
            return weights.set(policy.route(), Map.of(policy.canary(), 0, policy.stable(), stable == 0 ? 100 : stable), "rollback");
        }
        if (policy.ramp().isEmpty()) return CompletableFuture.completedFuture(null);
        int share = (int) Math.round(100.0 * canary / (canary + stable));
        Integer next = policy.ramp().stream().filter(step -> step > share).findFirst().orElse(null);
        if (next == null) return CompletableFuture.completedFuture(null);
        return weights.lastChange(policy.route()).thenCompose(last -> {
            Instant since = last.map(c -> c.at()).orElse(started);
            if (clock.instant().isBefore(since.plus(policy.rampEvery()))) return CompletableFuture.completedFuture(null);
            return weights.set(policy.route(), Map.of(policy.canary(), next, policy.stable(), 100 - next), "ramp");
        });
    }

    /** Why the canary should be rolled back, or null while it does as well as the stable deployment. */
    private String verdict(CanaryPolicy policy) {
        DeploymentStats.Recent canary = router.recent(policy.route(), policy.canary());
        DeploymentStats.Recent stable = router.recent(policy.route(), policy.stable());
        if (canary.calls() < policy.minCalls()) return null;
        if (canary.errorRate() > stable.errorRate() + policy.maxErrorRateIncrease()) {
            return String.format(java.util.Locale.ROOT, "error rate %.1f%% against the stable %.1f%% (over %d calls)", 100 * canary.errorRate(),
                    100 * stable.errorRate(), canary.calls());
        }
        Double canaryP95 = router.recentP95Millis(policy.route(), policy.canary());
        Double stableP95 = router.recentP95Millis(policy.route(), policy.stable());
        if (stable.calls() >= policy.minCalls() && canaryP95 != null && stableP95 != null && canaryP95 > stableP95 * policy.maxP95Ratio()) {
            return String.format(java.util.Locale.ROOT, "p95 %.0f ms against the stable %.0f ms", canaryP95, stableP95);
        }
        return null;
    }
}
