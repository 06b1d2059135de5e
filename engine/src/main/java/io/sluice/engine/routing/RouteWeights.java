package io.sluice.engine.routing;

import io.sluice.domain.error.InvalidRequestException;
import io.sluice.ports.in.RouteAdmin;
import io.sluice.ports.out.RouteWeightStore;
import io.sluice.domain.routing.ChainLink;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Canary weights and degradation chains changed at runtime: each change is stored ({@link RouteWeightStore}) with every deployment's weight,
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
    private final Predicate<String> isModel;
    private final io.sluice.ports.out.ChangeNotices notices;
    /** The version of each route's change applied here. */
    private final Map<String, Long> applied = new ConcurrentHashMap<>();
    /** The chains of each route's change applied here: those set at runtime, carried into its next change. */
    private final Map<String, Map<String, List<ChainLink>>> appliedChains = new ConcurrentHashMap<>();

    /**
     * @param isModel whether a chain may name a model: the gateway's configured models
     * @param notices told of each change stored here, so that the other replicas read it at once
     */
    public RouteWeights(Router router, RouteWeightStore store, Clock clock, Predicate<String> isModel, io.sluice.ports.out.ChangeNotices notices) {
        this.router = router;
        this.store = store;
        this.clock = clock;
        this.isModel = isModel;
        this.notices = notices;
    }

    public RouteWeights(Router router, RouteWeightStore store, Clock clock, Predicate<String> isModel) {
        this(router, store, clock, isModel, io.sluice.ports.out.ChangeNotices.NONE);
    }

    public RouteWeights(Router router, RouteWeightStore store, Clock clock) {
        this(router, store, clock, model -> true);
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
        return set(route, weights, Map.of(), by, MAX_TRIES);
    }

    @Override
    public CompletionStage<RouteReport> setChains(String route, Map<String, List<ChainLink>> chains) {
        try {
            if (chains.isEmpty()) throw new InvalidRequestException("Name at least one deployment's chain", null, "invalid_chain");
            chains.forEach((deployment, chain) -> chain.forEach(link -> {
                if (!isModel.test(link.model())) {
                    throw new InvalidRequestException("The chain of '" + deployment + "' names no configured model: '"
                            + io.sluice.domain.StoredText.clip(link.model(), 64) + "'", deployment, "unknown_model");
                }
            }));
            router.checkChains(route, chains);
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        return set(route, Map.of(), chains, "admin", MAX_TRIES);
    }

    /** How often a change is made again from a fresh view when others keep coming first. */
    static final int MAX_TRIES = 5;

    /**
     * Makes the change from the weights as this replica has them, stored only if no other change came since; when one
     * did, the stored changes are applied here and the change is made again from them, so that none is undone unseen.
     */
    private CompletionStage<RouteReport> set(String route, Map<String, Integer> weights, Map<String, List<ChainLink>> chains, String by, int tries) {
        Map<String, Integer> all;
        Map<String, List<ChainLink>> allChains;
        long from;
        try {
            synchronized (this) {
                all = router.weightsAfter(route, weights);
                allChains = new LinkedHashMap<>(appliedChains.getOrDefault(route, Map.of()));
                allChains.putAll(chains);
                from = applied.getOrDefault(route, 0L);
            }
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        return store.save(route, all, allChains, clock.instant(), by, from).thenCompose(saved -> {
            if (saved.isPresent()) {
                notices.announce(io.sluice.ports.out.ChangeNotices.ROUTE_WEIGHTS);
                return CompletableFuture.completedFuture(apply(saved.get()));
            }
            if (tries <= 1) return CompletableFuture.failedFuture(new io.sluice.domain.error.ConcurrentChangeException(
                    "Route '" + route + "' keeps being changed elsewhere; try again"));
            return refresh().thenCompose(done -> set(route, weights, chains, by, tries - 1));
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
        // a chain naming a deployment or model the configuration no longer has is set aside, as stale weights are
        Map<String, List<ChainLink>> chains = new LinkedHashMap<>();
        change.chains().forEach((name, chain) -> {
            if (before.containsKey(name) && chain.stream().allMatch(link -> isModel.test(link.model()))) chains.put(name, chain);
        });
        applied.put(change.route(), change.version());
        appliedChains.put(change.route(), chains);
        try {
            RouteReport report = router.apply(change.route(), known, chains);
            known.forEach((name, weight) -> {
                if (weight > 0 && before.get(name) == 0) router.forgetRecent(change.route(), name);
            });
            LOG.log(System.Logger.Level.INFO, "route " + change.route() + " weights " + known + (chains.isEmpty() ? "" : ", chains " + chains)
                    + " (" + change.by() + ", version " + change.version() + ")");
            return report;
        } catch (InvalidRequestException stale) { // the configuration changed under the stored weights: they are set aside
            LOG.log(System.Logger.Level.WARNING, "route " + change.route() + ": stored weights " + change.weights() + " and chains no longer apply: "
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
