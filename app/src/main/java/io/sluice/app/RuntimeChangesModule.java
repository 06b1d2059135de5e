package io.sluice.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.app.config.GatewaySettings;
import io.sluice.engine.background.Periodic;
import io.sluice.engine.routing.CanaryWatch;
import io.sluice.engine.routing.RouteWeights;
import io.sluice.engine.routing.Router;
import io.sluice.engine.secrets.KeySealer;
import io.sluice.engine.sla.Endpoint;
import io.sluice.engine.sla.RuntimeKeys;
import io.sluice.jdbc.JdbcStorage;
import io.sluice.ports.out.LlmProviderFactory;
import io.sluice.ports.out.ProviderEnvironment;
import io.sluice.ports.out.ProviderSettings;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What operators change at runtime, kept in the database and picked up by every replica: canary weights (with each
 * route's canary watched for a rollback or a ramp step) and upstream keys, sealed.
 */
final class RuntimeChangesModule extends AbstractModule {
    private final GatewaySettings settings;

    RuntimeChangesModule(GatewaySettings settings) {
        this.settings = settings;
    }

    /**
     * Canary weights changed at runtime: the stored ones applied over the configured ones before the first call, then
     * each replica's changes picked up every {@link ChangePickup}; each route's canary watched for a rollback or a
     * ramp step every {@link #CANARY_CHECK}.
     */
    @Provides
    @Singleton
    RouteWeights routeWeights(Router router, JdbcStorage storage, Clock clock, Resources resources, PrometheusMeterRegistry meters, ChangePickup pickup) {
        java.util.Set<String> models = settings.models().stream().map(io.sluice.domain.ModelSpec::name).collect(java.util.stream.Collectors.toSet());
        RouteWeights weights = new RouteWeights(router, storage.routeWeights(), clock, models::contains, pickup.notices());
        weights.refresh().toCompletableFuture().join();
        resources.add(pickup.follow(io.sluice.ports.out.ChangeNotices.ROUTE_WEIGHTS, weights::refresh), Runnable::run);
        var canaries = settings.sla().routing().canaries();
        if (!canaries.isEmpty()) {
            CanaryWatch watch = new CanaryWatch(weights, router, canaries, clock, route -> io.micrometer.core.instrument.Counter.builder("sluice.canary.rollbacks")
                    .description("Canary deployments rolled back by themselves").tag("route", route).register(meters).increment());
            resources.add(Periodic.every("canary-watch", CANARY_CHECK, watch::check), Runnable::run);
        }
        return weights;
    }

    static final java.time.Duration CANARY_CHECK = java.time.Duration.ofSeconds(2);

    /**
     * Upstream keys added at runtime, sealed with {@code SLUICE_SECRETS_KEY} (32 random bytes, base64; without it, none
     * can be added), each made a provider like the endpoint's configured keys, and picked up by every replica within
     * {@link ChangePickup}.
     */
    @Provides
    @Singleton
    RuntimeKeys runtimeKeys(Map<String, Endpoint> endpoints, Set<LlmProviderFactory> registered, Vertx vertx, ObjectMapper json, JdbcStorage storage,
                            Clock clock, Resources resources, ChangePickup pickup) {
        ProviderFactories factories = new ProviderFactories(registered);
        ProviderEnvironment environment = GatewayModule.environment(vertx, json);
        Map<String, ProviderSettings> byName = new LinkedHashMap<>();
        for (ProviderSettings p : settings.providers()) byName.put(p.name(), p);
        String secretsKey = System.getenv("SLUICE_SECRETS_KEY");
        Optional<KeySealer> sealer;
        try {
            sealer = secretsKey == null || secretsKey.isBlank() ? Optional.empty() : Optional.of(KeySealer.fromBase64(secretsKey));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("SLUICE_SECRETS_KEY: " + e.getMessage());
        }
        RuntimeKeys keys = resources.add(new RuntimeKeys(endpoints, storage.upstreamKeys(), sealer, (endpoint, label, apiKey) -> {
            ProviderSettings p = byName.get(endpoint);
            return factories.get(p.type(), p.name()).create(p.withKey(label, apiKey), environment);
        }, clock, pickup.notices()), RuntimeKeys::close);
        keys.refresh().toCompletableFuture().join();
        resources.add(pickup.follow(io.sluice.ports.out.ChangeNotices.UPSTREAM_KEYS, keys::refresh), Runnable::run);
        return keys;
    }

    /** Redis pub/sub notices of runtime changes, when the gateway uses Redis; polling the database either way. */
    @Provides
    @Singleton
    ChangePickup changePickup(Optional<io.sluice.redis.RedisLink> redis) {
        return new ChangePickup(redis.map(io.sluice.redis.RedisChangeNotices::new));
    }
}
