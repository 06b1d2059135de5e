package io.sluice.engine.routing;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.error.RouteNotFoundException;
import io.sluice.domain.routing.CanarySplit;
import io.sluice.domain.routing.ChainLink;
import io.sluice.domain.routing.Complexity;
import io.sluice.domain.routing.ComplexityClassifier;
import io.sluice.domain.routing.Deployment;
import io.sluice.domain.routing.RouteSpec;
import io.sluice.ports.in.RouteAdmin.DeploymentReport;
import io.sluice.ports.in.RouteAdmin.RouteReport;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway's routes: picks a call's deployment (sticky by user, by weight), where in its chain the call starts
 * (by complexity) and its tier; keeps each deployment's stats; lets operators change the weights. Thread-safe: a
 * route's spec is replaced whole when its weights change.
 */
public final class Router {
    private final Map<String, AtomicReference<Scheduled>> routes = new LinkedHashMap<>();
    private final Map<String, DeploymentStats> stats = new ConcurrentHashMap<>();
    private final ComplexityClassifier classifier;
    private final Map<Complexity, String> tierByComplexity;
    private final Clock clock;

    /** A route and, worked out once, how it is served in each of its time windows. */
    private record Scheduled(RouteSpec base, List<RouteSpec> inWindows) {
        static Scheduled of(RouteSpec spec) {
            return new Scheduled(spec, spec.windows().stream().map(spec::inWindow).toList());
        }

        /** The window {@code now} falls in (the first listed, when several do), or -1. */
        int windowAt(Clock clock) {
            if (base.windows().isEmpty()) return -1;
            LocalDateTime local = LocalDateTime.ofInstant(clock.instant(), base.zone());
            for (int i = 0; i < base.windows().size(); i++) if (base.windows().get(i).contains(local)) return i;
            return -1;
        }

        RouteSpec at(Clock clock) {
            int window = windowAt(clock);
            return window < 0 ? base : inWindows.get(window);
        }
    }

    /** @param tierByComplexity the SLA tier of a call of each complexity, when neither the call nor its route names one */
    public Router(List<RouteSpec> specs, ComplexityClassifier classifier, Map<Complexity, String> tierByComplexity) {
        this(specs, classifier, tierByComplexity, Clock.systemUTC());
    }

    /** @param clock what time it is, for the routes' time windows */
    public Router(List<RouteSpec> specs, ComplexityClassifier classifier, Map<Complexity, String> tierByComplexity, Clock clock) {
        for (RouteSpec spec : specs) routes.put(spec.name(), new AtomicReference<>(Scheduled.of(spec)));
        this.classifier = classifier;
        this.tierByComplexity = Map.copyOf(tierByComplexity);
        this.clock = clock;
    }

    public static Router none() {
        return new Router(List.of(), ComplexityClassifier.DEFAULTS, Map.of());
    }

    public boolean isRoute(String name) {
        return routes.containsKey(name);
    }

    /** Where a call to {@code name} goes; empty when {@code name} is not a route (then it is a model). */
    public Optional<Routing> route(String name, String user, List<ChatMessage> messages) {
        AtomicReference<Scheduled> current = routes.get(name);
        if (current == null) return Optional.empty();
        RouteSpec spec = current.get().at(clock);
        Deployment deployment = CanarySplit.pick(spec.deployments(), user, ThreadLocalRandom.current().nextDouble());
        Complexity complexity = classifier.classify(messages);
        List<String> models = new ArrayList<>();
        List<ChainLink> chain = deployment.chain();
        for (int i = deployment.startFor(complexity); i < chain.size(); i++) models.add(chain.get(i).model());
        Optional<String> tier = spec.tier().or(() -> Optional.ofNullable(tierByComplexity.get(complexity)));
        return Optional.of(new Routing(spec.name(), deployment.name(), models, complexity, tier, spec.contextStrategy(),
                statsOf(spec.name(), deployment.name())));
    }

    private DeploymentStats statsOf(String route, String deployment) {
        return stats.computeIfAbsent(route + "/" + deployment, k -> new DeploymentStats());
    }

    /** Every model a route may send calls to, to check them against the configured models at start. */
    public List<String> modelsOf(String route) {
        List<String> models = new ArrayList<>();
        Scheduled scheduled = routes.get(route).get();
        for (RouteSpec spec : concat(scheduled.base(), scheduled.inWindows())) {
            for (Deployment d : spec.deployments()) for (ChainLink link : d.chain()) models.add(link.model());
        }
        return models;
    }

    public List<String> names() {
        return List.copyOf(routes.keySet());
    }

    public List<RouteReport> routes() {
        List<RouteReport> reports = new ArrayList<>();
        for (AtomicReference<Scheduled> route : routes.values()) reports.add(report(route.get()));
        return reports;
    }

    private static List<RouteSpec> concat(RouteSpec base, List<RouteSpec> more) {
        List<RouteSpec> all = new ArrayList<>(more);
        all.addFirst(base);
        return all;
    }

    /**
     * Sets the weights outside the route's time windows, by deployment; those not named keep theirs. A window that sets
     * weights of its own keeps them.
     *
     * @throws RouteNotFoundException when there is no such route
     * @throws InvalidRequestException when a name is not a deployment of it, a weight is negative, or none would be positive
     */
    public RouteReport applyWeights(String route, Map<String, Integer> weights) {
        return apply(route, weights, Map.of());
    }

    /**
     * Sets the weights (as {@link #applyWeights}) and the degradation chains of the deployments named in {@code chains},
     * outside the route's time windows (a window's own chain stays); the route's spec is replaced whole, at once.
     *
     * @throws InvalidRequestException as {@link #applyWeights}, and when a chain names no deployment of the route, is
     *                                 empty, or does not go from the most to the least capable model
     */
    public RouteReport apply(String route, Map<String, Integer> weights, Map<String, List<ChainLink>> chains) {
        AtomicReference<Scheduled> current = routes.get(route);
        if (current == null) throw new RouteNotFoundException(route);
        Scheduled updated = current.updateAndGet(scheduled -> Scheduled.of(withChains(withWeights(scheduled.base(), weights), chains)));
        return report(updated);
    }

    /** Checks {@code chains} against the route as {@link #apply} would, changing nothing. */
    public void checkChains(String route, Map<String, List<ChainLink>> chains) {
        AtomicReference<Scheduled> current = routes.get(route);
        if (current == null) throw new RouteNotFoundException(route);
        withChains(current.get().base(), chains);
    }

    private static RouteSpec withChains(RouteSpec spec, Map<String, List<ChainLink>> chains) {
        if (chains.isEmpty()) return spec;
        Map<String, Deployment> byName = new LinkedHashMap<>();
        for (Deployment d : spec.deployments()) byName.put(d.name(), d);
        chains.forEach((name, chain) -> {
            Deployment d = byName.get(name);
            if (d == null) {
                throw new InvalidRequestException("Route '" + spec.name() + "' has no deployment '" + name + "'; its deployments are "
                        + byName.keySet(), name, "unknown_deployment");
            }
            try {
                byName.put(name, new Deployment(name, d.weight(), chain));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException(e.getMessage(), name, "invalid_chain");
            }
        });
        try {
            return spec.withDeployments(List.copyOf(byName.values()));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), null, "invalid_chain");
        }
    }

    /** Every deployment's weight once {@code weights} were applied, in order; refused as {@link #applyWeights} refuses. */
    public Map<String, Integer> weightsAfter(String route, Map<String, Integer> weights) {
        AtomicReference<Scheduled> current = routes.get(route);
        if (current == null) throw new RouteNotFoundException(route);
        Map<String, Integer> all = new LinkedHashMap<>();
        for (Deployment d : withWeights(current.get().base(), weights).deployments()) all.put(d.name(), d.weight());
        return all;
    }

    /** Forgets the recent calls of a route's deployment (see {@link DeploymentStats#forgetRecent}). */
    public void forgetRecent(String route, String deployment) {
        statsOf(route, deployment).forgetRecent();
    }

    /** The recent calls of a route's deployment. */
    public DeploymentStats.Recent recent(String route, String deployment) {
        return statsOf(route, deployment).recent();
    }

    /** The recent p95 latency of a route's deployment, in milliseconds; null before its first call. */
    public Double recentP95Millis(String route, String deployment) {
        return statsOf(route, deployment).percentileMillis(95);
    }

    private static RouteSpec withWeights(RouteSpec spec, Map<String, Integer> weights) {
        Map<String, Deployment> byName = new LinkedHashMap<>();
        for (Deployment d : spec.deployments()) byName.put(d.name(), d);
        weights.forEach((name, weight) -> {
            if (!byName.containsKey(name)) {
                throw new InvalidRequestException("Route '" + spec.name() + "' has no deployment '" + name + "'; its deployments are "
                        + byName.keySet(), name, "unknown_deployment");
            }
            if (weight == null || weight < 0) {
                throw new InvalidRequestException("The weight of '" + name + "' must be a whole number of 0 or more", name, "invalid_weight");
            }
            byName.put(name, byName.get(name).withWeight(weight));
        });
        if (byName.values().stream().mapToLong(Deployment::weight).sum() <= 0) {
            throw new InvalidRequestException("At least one deployment of route '" + spec.name() + "' must keep a positive weight", null,
                    "invalid_weight");
        }
        try {
            return spec.withDeployments(List.copyOf(byName.values()));
        } catch (IllegalArgumentException e) { // a time window of the route would be left with no weight
            throw new InvalidRequestException(e.getMessage(), null, "invalid_weight");
        }
    }

    private RouteReport report(Scheduled scheduled) {
        int window = scheduled.windowAt(clock);
        return report(scheduled.base(), window < 0 ? null : scheduled.base().windows().get(window).name());
    }

    private RouteReport report(RouteSpec spec, String activeWindow) {
        List<DeploymentReport> deployments = new ArrayList<>();
        for (Deployment d : spec.deployments()) {
            DeploymentStats s = statsOf(spec.name(), d.name());
            long requests = s.requests();
            long errors = s.errors();
            deployments.add(new DeploymentReport(d.name(), d.weight(), d.chain().stream().map(ChainLink::model).toList(),
                    d.chain().stream().map(link -> link.capability().label()).toList(), requests, errors,
                    requests == 0 ? 0 : (double) errors / requests, s.percentileMillis(50), s.percentileMillis(95)));
        }
        return new RouteReport(spec.name(), deployments, activeWindow);
    }
}
