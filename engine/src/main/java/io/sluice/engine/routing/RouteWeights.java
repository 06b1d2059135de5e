package io.sluice.engine.routing;

import io.sluice.domain.error.InvalidRequestException;
import io.sluice.ports.in.RouteAdmin;
import io.sluice.ports.out.RouteWeightStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Canary weights changed at runtime: each change is stored ({@link RouteWeightStore}) with every deployment's weight,
 * applied here, and picked up by every other replica at its next {@link #refresh()}; at start, the stored weights are
 * applied over the configured ones, which stay the defaults of routes never changed. A stored deployment the
 * configuration no longer has is ignored. A deployment brought back from weight 0 starts its recent record afresh, so
 * that a rollback's cause does not roll it back again. Thread-safe.
 */
public final class RouteWeights implements RouteAdmin {
    private static final System.Logger LOG = System.getLogger(RouteWeights.class.getName());

    private final Router router;
    private final RouteWeightStore store;
    private final Clock clock;
    /** The version of each route's change applied here. */
    private final Map<String, Long> applied = new ConcurrentHashMap<>();

    public RouteWeights(Router router, RouteWeightStore store, Clock clock) {
        this.router = router;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public List<RouteReport> routes() {
        return router.routes();
    }

    @Override
    public CompletionStage<RouteReport> setWeights(String route, Map<String, Integer> weights) {
        return set(route, weights, "admin");
    }

    /** {@link #setWeights}, saying who changed them: {@code admin}, {@code ramp}, {@code rollback}. */
    public CompletionStage<RouteReport> set(String route, Map<String, Integer> weights, String by) {
        return set(route, weights, by, MAX_TRIES);
    }

    /** How often a change is made again from a fresh view when others keep coming first. */
    static final int MAX_TRIES = 5;

    /**
     * Makes the change from the weights as this replica has them, stored only if no other change came since; when one
     * did, the stored changes are applied here and the change is made again from them, so that none is undone unseen.
     */
    private CompletionStage<RouteReport> set(String route, Map<String, Integer> weights, String by, int tries) {
        Map<String, Integer> all;
        long from;
        try {
            synchronized (this) {
                all = router.weightsAfter(route, weights);
                from = applied.getOrDefault(route, 0L);
            }
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        return store.save(route, all, clock.instant(), by, from).thenCompose(saved -> {
            if (saved.isPresent()) return CompletableFuture.completedFuture(apply(saved.get()));
            if (tries <= 1) return CompletableFuture.failedFuture(new io.sluice.domain.error.ConcurrentChangeException(
                    "Route '" + route + "' keeps being changed elsewhere; try again"));
            return refresh().thenCompose(done -> set(route, weights, by, tries - 1));
        });
    }

    /** Applies every stored change this replica has not applied yet. */
    public CompletionStage<Void> refresh() {
        return store.all().thenAccept(changes -> {
            for (RouteWeightStore.Change change : changes) {
                if (router.isRoute(change.route()) && change.version() > applied.getOrDefault(change.route(), 0L)) apply(change);
            }
        });
    }

    /** The last change stored for {@code route}, if any. */
    public CompletionStage<java.util.Optional<RouteWeightStore.Change>> lastChange(String route) {
        return store.all().thenApply(changes -> changes.stream().filter(c -> c.route().equals(route)).findFirst());
    }

    private synchronized RouteReport apply(RouteWeightStore.Change change) {
        if (change.version() <= applied.getOrDefault(change.route(), 0L)) return report(change.route());
        Map<String, Integer> before = weightsOf(change.route());
        Map<String, Integer> known = new LinkedHashMap<>();
        change.weights().forEach((name, weight) -> {
            if (before.containsKey(name)) known.put(name, weight);
        });
        applied.put(change.route(), change.version());
        try {
            RouteReport report = router.applyWeights(change.route(), known);
            known.forEach((name, weight) -> {
                if (weight > 0 && before.get(name) == 0) router.forgetRecent(change.route(), name);
            });
            LOG.log(System.Logger.Level.INFO, "route " + change.route() + " weights " + known + " (" + change.by() + ", version " + change.version() + ")");
            return report;
        } catch (InvalidRequestException stale) { // the configuration changed under the stored weights: they are set aside
            LOG.log(System.Logger.Level.WARNING, "route " + change.route() + ": stored weights " + change.weights() + " no longer apply: "
                    + stale.getMessage() + "; the configured ones stand");
            return report(change.route());
        }
    }

    private Map<String, Integer> weightsOf(String route) {
        return router.weightsAfter(route, Map.of());
    }

    private RouteReport report(String route) {
        return router.routes().stream().filter(r -> r.name().equals(route)).findFirst().orElseThrow();
    }
}
