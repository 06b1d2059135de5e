package io.sluice.app.config;

import io.sluice.domain.ContextStrategy;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.routing.ChainLink;
import io.sluice.domain.routing.Complexity;
import io.sluice.domain.routing.ComplexityClassifier;
import io.sluice.domain.routing.Deployment;
import io.sluice.domain.routing.RouteSpec;
import io.sluice.domain.routing.TimeWindow;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reads {@code sluice.routes} and {@code sluice.classifier} into {@link RoutingSettings}, naming the key of any problem. */
final class RoutingConfig {
    /** The deployment of a route configured with a single {@code chain}. */
    static final String SINGLE_DEPLOYMENT = "default";

    private RoutingConfig() {}

    static RoutingSettings read(SluiceConfig c, List<String> modelNames) {
        List<RouteSpec> routes = new ArrayList<>();
        java.util.Map<String, io.sluice.domain.sla.FallbackReply> replies = new java.util.HashMap<>();
        List<io.sluice.engine.routing.CanaryPolicy> canaries = new ArrayList<>();
        new TreeMap<>(c.routes()).forEach((name, r) -> {
            RouteSpec spec = route(name, r, modelNames);
            routes.add(spec);
            fallbackReply(name, r).ifPresent(reply -> replies.put(name, reply));
            r.canary().ifPresent(canary -> canaries.add(canary(name, canary, spec)));
        });
        return new RoutingSettings(routes, classifier(c.classifier()), tiers(c.classifier()), replies, canaries);
    }

    /** A route's canary policy: both deployments must be the route's. */
    private static io.sluice.engine.routing.CanaryPolicy canary(String name, RouteConfig.Canary c, RouteSpec spec) {
        String key = "sluice.routes.\"" + name + "\".canary";
        List<String> deployments = spec.deployments().stream().map(Deployment::name).toList();
        for (String d : List.of(c.deployment(), c.stable())) {
            if (!deployments.contains(d)) throw new ConfigProblem(key, "'" + d + "' is not a deployment of the route; its deployments are " + deployments);
        }
        return check(key, () -> new io.sluice.engine.routing.CanaryPolicy(name, c.deployment(), c.stable(), c.maxErrorRateIncrease(), c.maxP95Ratio(),
                c.minCalls(), c.ramp().orElse(List.of()), c.rampEvery()));
    }

    /** A route's fallback reply, if it has one; {@code fallback-reply-on} without a reply is a mistake. */
    private static Optional<io.sluice.domain.sla.FallbackReply> fallbackReply(String name, RouteConfig r) {
        String key = "sluice.routes.\"" + name + "\".fallback-reply";
        java.util.Map<String, String> texts = new java.util.HashMap<>(r.fallbackReplies());
        r.fallbackReply().ifPresent(text -> texts.put(io.sluice.domain.sla.FallbackReply.DEFAULT, text));
        if (texts.isEmpty()) {
            if (r.fallbackReplyOn().isPresent()) throw new ConfigProblem(key + "-on", "is set but the route has no fallback-reply");
            return Optional.empty();
        }
        java.util.Set<io.sluice.domain.sla.FallbackReply.Failure> on = java.util.EnumSet.noneOf(io.sluice.domain.sla.FallbackReply.Failure.class);
        for (String failure : r.fallbackReplyOn().orElse(List.of())) {
            on.add(check(key + "-on", () -> io.sluice.domain.sla.FallbackReply.Failure.named(failure)));
        }
        return Optional.of(check(key, () -> new io.sluice.domain.sla.FallbackReply(texts, on)));
    }

    private static RouteSpec route(String name, RouteConfig r, List<String> modelNames) {
        String key = "sluice.routes.\"" + name + "\"";
        if (modelNames.contains(name)) throw new ConfigProblem(key, "'" + name + "' is already a model; a route needs a name of its own");
        boolean hasChain = r.chain().filter(l -> !l.isEmpty()).isPresent();
        if (hasChain == !r.deployments().isEmpty()) throw new ConfigProblem(key, "give either a 'chain' or 'deployments', not both or neither");
        List<Deployment> deployments = new ArrayList<>();
        if (hasChain) {
            deployments.add(deployment(key + ".chain", SINGLE_DEPLOYMENT, 1, r.chain().get(), modelNames));
        } else {
            // sorted, so that the same users land on the same deployments after a restart
            new TreeMap<>(r.deployments()).forEach((d, spec) ->
                    deployments.add(deployment(key + ".deployments." + d, d, spec.weight(), spec.chain(), modelNames)));
        }
        Optional<ContextStrategy> strategy = r.contextStrategy().map(s -> {
            try {
                return ContextStrategy.parse(s);
            } catch (InvalidRequestException e) {
                throw new ConfigProblem(key + ".context-strategy", e.getMessage());
            }
        });
        java.time.ZoneId zone = r.timeZone().map(z -> check(key + ".time-zone", () -> {
            try {
                return java.time.ZoneId.of(z.strip());
            } catch (java.time.DateTimeException e) {
                throw new IllegalArgumentException("unknown time zone '" + z + "'; use a region such as Europe/Paris, or UTC");
            }
        })).orElse(java.time.ZoneOffset.UTC);
        List<TimeWindow> windows = new ArrayList<>();
        List<RouteConfig.Window> configured = r.windows().orElse(List.of());
        for (int i = 0; i < configured.size(); i++) windows.add(window(key + ".windows[" + i + "]", configured.get(i), modelNames));
        return check(key, () -> new RouteSpec(name, deployments, r.tier(), strategy, zone, windows));
    }

    private static TimeWindow window(String key, RouteConfig.Window w, List<String> modelNames) {
        int from = check(key + ".from", () -> TimeWindow.secondOfDay(w.from(), false));
        int to = check(key + ".to", () -> TimeWindow.secondOfDay(w.to(), true));
        java.util.Set<java.time.DayOfWeek> days = java.util.EnumSet.noneOf(java.time.DayOfWeek.class);
        for (String day : w.days().orElse(List.of())) days.add(check(key + ".days", () -> TimeWindow.day(day)));
        Optional<List<ChainLink>> chain = w.chain().map(links -> deployment(key + ".chain", "window", 1, links, modelNames).chain());
        String name = w.name().orElse(w.from().strip() + "-" + w.to().strip());
        return check(key, () -> new TimeWindow(name, days, from, to, chain, w.tier(), w.weights()));
    }

    private static Deployment deployment(String key, String name, int weight, List<RouteConfig.Link> links, List<String> modelNames) {
        List<ChainLink> chain = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            RouteConfig.Link link = links.get(i);
            String linkKey = key + (key.endsWith(".chain") ? "" : ".chain") + "[" + i + "]";
            if (!modelNames.contains(link.model())) {
                throw new ConfigProblem(linkKey + ".model", "unknown model '" + link.model() + "'; configured: " + modelNames);
            }
            chain.add(check(linkKey + ".capability", () -> new ChainLink(link.model(), Complexity.parse(link.capability()))));
        }
        return check(key, () -> new Deployment(name, weight, chain));
    }

    private static ComplexityClassifier classifier(ClassifierConfig c) {
        return check("sluice.classifier", () -> new ComplexityClassifier(c.shortMessageChars(), c.longMessageChars(),
                c.complexKeywords().orElse(ComplexityClassifier.DEFAULT_COMPLEX_KEYWORDS),
                c.simpleKeywords().orElse(ComplexityClassifier.DEFAULT_SIMPLE_KEYWORDS)));
    }

    private static Map<Complexity, String> tiers(ClassifierConfig c) {
        Map<Complexity, String> tiers = new EnumMap<>(RoutingSettings.DEFAULT_TIERS);
        c.tiers().forEach((complexity, tier) -> tiers.put(check("sluice.classifier.tiers", () -> Complexity.parse(complexity)), tier));
        return tiers;
    }

    private static <T> T check(String key, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigProblem(key, e.getMessage());
        }
    }
}
