package io.sluice.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.app.config.GatewaySettings;
import io.sluice.engine.sla.RuntimeKeys;
import io.sluice.engine.routing.RouteWeights;
import io.sluice.engine.budget.BudgetWatch;
import io.sluice.http.webhook.BudgetWebhook;
import io.sluice.ports.out.BudgetAlerts;
import io.sluice.app.telemetry.CallLogTracer;
import io.sluice.app.telemetry.OtelCallTracer;
import io.sluice.app.telemetry.Telemetry;
import io.sluice.app.config.CacheSettings;
import io.sluice.app.config.EndpointSettings;
import io.sluice.app.config.SlaSettings;
import io.sluice.app.config.RoutingSettings;
import io.sluice.engine.routing.Router;
import io.sluice.engine.SlaPolicy;
import io.sluice.engine.sla.Circuits;
import io.sluice.ports.out.UpstreamEvents;
import io.sluice.engine.sla.UpstreamHealth;
import io.sluice.engine.sla.Endpoint;
import io.sluice.engine.sla.UpstreamKey;
import io.sluice.engine.sla.AdaptiveConcurrency;
import io.sluice.app.config.LimitSettings;
import java.util.ArrayList;
import java.util.List;
import io.sluice.domain.context.LexicalVectors;
import io.sluice.engine.ChatService;
import io.sluice.engine.semantic.LexicalEmbedder;
import io.sluice.engine.semantic.ProviderEmbedder;
import io.sluice.engine.semantic.SemanticRecall;
import io.sluice.ports.out.Embedder;
import io.sluice.engine.cache.LocalContextCache;
import io.sluice.engine.cache.NoContextCache;
import io.sluice.redis.RedisContextCache;
import io.sluice.ports.out.ContextCache;
import io.sluice.engine.ConversationService;
import io.sluice.engine.models.ModelRegistry;
import io.sluice.engine.tokens.JtokkitTokenCounter;
import io.sluice.http.openai.OpenAiProviderFactory;
import io.sluice.http.anthropic.AnthropicProviderFactory;
import io.sluice.http.gemini.GeminiProviderFactory;
import io.sluice.http.server.GatewayServer;
import io.sluice.http.server.GatewayServices;
import io.sluice.ports.in.ApiKeys;
import io.sluice.engine.keys.ApiKeyService;
import io.sluice.jdbc.JdbcStorage;
import io.sluice.ports.in.ChatCompletions;
import io.sluice.ports.in.Conversations;
import io.sluice.ports.in.ModelDirectory;
import io.sluice.ports.in.Readiness;
import io.sluice.ports.in.Erasure;
import io.sluice.engine.erasure.ErasureService;
import io.sluice.engine.erasure.Retention;
import io.sluice.app.config.RetentionSettings;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.LlmProviderFactory;
import io.sluice.ports.out.ProviderEnvironment;
import io.sluice.ports.out.ProviderSettings;
import io.sluice.ports.out.TokenCounter;
import io.sluice.ports.out.UsageLedger;
import io.sluice.engine.ledger.BillAfterAnswerLedger;
import io.sluice.engine.ledger.GroupCommitLedger;
import io.sluice.ports.out.LimitCounters;
import io.sluice.engine.limits.FlowControl;
import io.sluice.engine.budget.BudgetGuard;
import io.sluice.ports.out.BudgetStore;
import io.sluice.engine.limits.LocalLimitCounters;
import io.sluice.redis.RedisBudgetStore;
import io.sluice.redis.RedisLimitCounters;
import io.sluice.redis.RedisLink;
import io.sluice.engine.limits.DegradingLimitCounters;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The composition root: which adapter implements which port. A team assembling its own gateway can override any
 * binding with {@link com.google.inject.util.Modules#override}, or add provider plugins to the
 * {@link LlmProviderFactory} set.
 */
public final class GatewayModule extends AbstractModule {
    private static final System.Logger LOG = System.getLogger(GatewayModule.class.getName());
    private final GatewaySettings settings;

    public GatewayModule(GatewaySettings settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(GatewaySettings.class).toInstance(settings);
        install(new RuntimeChangesModule(settings));
        Multibinder<LlmProviderFactory> factories = Multibinder.newSetBinder(binder(), LlmProviderFactory.class);
        factories.addBinding().to(OpenAiProviderFactory.class);
        factories.addBinding().to(AnthropicProviderFactory.class);
        factories.addBinding().to(GeminiProviderFactory.class);
        bind(TokenCounter.class).to(JtokkitTokenCounter.class);
        bind(JtokkitTokenCounter.class).in(Singleton.class);
        bind(ChatCompletions.class).to(ChatService.class);
        bind(ModelDirectory.class).to(ModelRegistry.class);
    }

    @Provides
    @Singleton
    Vertx vertx() {
        return Vertx.vertx();
    }

    @Provides
    @Singleton
    ObjectMapper objectMapper() {
        return new ObjectMapper();
    }

    @Provides
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Provides
    @Singleton
    PrometheusMeterRegistry meterRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    @Provides
    @Singleton
    JdbcStorage jdbcStorage() {
        return JdbcStorage.open(settings.storage());
    }

    @Provides
    @Singleton
    ConversationStore conversationStore(JdbcStorage storage, ObjectMapper json) {
        return storage.conversations(json);
    }

    @Provides
    @Singleton
    UsageLedger usageLedger(JdbcStorage storage, Resources resources, PrometheusMeterRegistry meters, Clock clock) {
        LedgerUpkeep.start(storage.ledgerMaintenance(settings.retention().ledgerDays()), clock, resources);
        UsageLedger grouped = new GroupCommitLedger(storage.usageLedger(settings.retention().ledgerDays()), GroupCommitLedger.DEFAULT_WRITES_IN_FLIGHT, EngineMeters.commits(meters, "bills"));
        if (settings.commitBillBeforeAnswer()) return grouped;
        // drained on shutdown before the database closes (Resources close first): the bills written after their answers
        return resources.add(new BillAfterAnswerLedger(grouped), ledger -> ledger.drain(Duration.ofSeconds(10)));
    }

    @Provides
    @Singleton
    Readiness readiness(ConversationStore store, JdbcStorage storage, Optional<RedisLink> redis) {
        return () -> {
            // at once while the database is known to be down; a ping that hangs must not hang the orchestrator's check
            java.util.concurrent.CompletableFuture<Boolean> database = storage.health().available()
                    ? store.ping().toCompletableFuture().orTimeout(READINESS_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                            .handle((ok, error) -> error == null)
                    : java.util.concurrent.CompletableFuture.completedFuture(false);
            return database.thenApply(up -> {
                Map<String, String> checks = new LinkedHashMap<>();
                checks.put("database", up ? "up" : "down");
                redis.ifPresent(r -> checks.put("redis", r.available() ? "up" : "down"));
                return new Readiness.Status(up, checks); // without Redis the gateway serves, degraded: it stays in rotation
            });
        };
    }

    /** Readiness answers within this, whatever the database does. */
    static final Duration READINESS_TIMEOUT = Duration.ofSeconds(1);

    /** Every provider instance: one per key of every endpoint, closed on shutdown. */
    @Provides
    @Singleton
    Map<String, Endpoint> endpoints(Set<LlmProviderFactory> registered, Vertx vertx, ObjectMapper json, Resources resources,
                                    PrometheusMeterRegistry meters) {
        ProviderFactories factories = new ProviderFactories(registered);
        ProviderEnvironment environment = environment(vertx, json);
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        for (ProviderSettings p : settings.providers()) {
            EndpointSettings e = settings.endpointOf(p);
            List<UpstreamKey> keys = new ArrayList<>();
            for (int i = 0; i < e.keys().size(); i++) {
                EndpointSettings.Key key = e.keys().get(i);
                String label = e.keys().size() == 1 ? p.name() : p.name() + "#" + (i + 1);
                ProviderSettings one = p.withKey(label, key.apiKey());
                LlmProvider provider = resources.add(factories.get(p.type(), p.name()).create(one, environment), LlmProvider::close);
                keys.add(new UpstreamKey(label, provider, key.rpm(), key.tpm()));
            }
            endpoints.put(p.name(), new Endpoint(p.name(), e.weight(), keys, adaptiveConcurrency(p.name(), meters)));
        }
        return endpoints;
    }

    /** The endpoint's adaptive concurrency limit, with its gauges, when it is on. */
    private AdaptiveConcurrency adaptiveConcurrency(String endpoint, PrometheusMeterRegistry meters) {
        LimitSettings.Concurrency c = settings.limits().concurrency();
        if (!c.adaptive()) return null;
        AdaptiveConcurrency limit = new AdaptiveConcurrency(endpoint, c.initialLimit(), c.maxLimit(), c.maxQueue());
        io.micrometer.core.instrument.Gauge.builder("sluice.upstream.concurrency.limit", limit, AdaptiveConcurrency::limit)
                .description("The endpoint's adaptive concurrency limit").tag("endpoint", endpoint).register(meters);
        io.micrometer.core.instrument.Gauge.builder("sluice.upstream.concurrency.in_flight", limit, AdaptiveConcurrency::inFlight)
                .description("Attempts in flight to the endpoint").tag("endpoint", endpoint).register(meters);
        io.micrometer.core.instrument.Gauge.builder("sluice.upstream.concurrency.queued", limit, AdaptiveConcurrency::queued)
                .description("Calls waiting for the endpoint's concurrency limit").tag("endpoint", endpoint).register(meters);
        return limit;
    }

    static ProviderEnvironment environment(Vertx vertx, ObjectMapper json) {
        return new ProviderEnvironment() {
            @Override
            public <T> Optional<T> lookup(Class<T> type) {
                if (type == Vertx.class) return Optional.of(type.cast(vertx));
                if (type == ObjectMapper.class) return Optional.of(type.cast(json));
                return Optional.empty();
            }
        };
    }

    @Provides
    @Singleton
    ModelRegistry modelRegistry(Map<String, Endpoint> endpoints) {
        return new ModelRegistry(endpoints, settings.models(), settings.modelEndpoints(), settings.passthroughProvider(),
                settings.fallbackEncoding(), new ModelRegistry.Pricing(io.sluice.engine.models.ModelCatalog.builtIn(), settings.requirePrices()));
    }

    @Provides
    @Singleton
    Router router(Clock clock) {
        RoutingSettings routing = settings.sla().routing();
        return new Router(routing.routes(), routing.classifier(), routing.tierByComplexity(), clock);
    }

    @Provides
    @Singleton
    Circuits circuits() {
        return new Circuits(settings.sla().circuits(), settings.sla().endpointCircuits());
    }

    @Provides
    @Singleton
    ChatService chatService(ModelRegistry registry, ConversationStore store, ContextCache cache, TokenCounter tokens, Clock clock,
                            Circuits circuits, Router router, UsageLedger ledger, LimitCounters counters, JdbcStorage storage,
                            PrometheusMeterRegistry meters, Resources resources, BudgetGuard budgets, Optional<RedisLink> redisLink,
                            ObjectMapper json, io.sluice.ports.out.CallTracer tracer) {
        UpstreamEvents events = EngineMeters.upstream(meters);
        Embedder embedder = settings.semantic().isLocal() ? new LexicalEmbedder(LexicalVectors.DEFAULT_DIMENSIONS)
                : new ProviderEmbedder(registry, settings.semantic().embedder());
        SlaSettings sla = settings.sla();
        return ChatService.builder(registry, store, tokens).contextCache(cache).clock(clock).context(settings.context())
                .summaries(settings.summary()).recall(new SemanticRecall(store, embedder, settings.semantic().candidates()))
                .sla(new SlaPolicy(sla.tiers(), sla.tiers().get(sla.defaultTier()), sla.retries(), circuits, events, router))
                .ledger(ledger).rateLimits(new FlowControl(settings.limits().limits(), counters)).budgets(budgets)
                .storageHealth(storage.health()).events(EngineMeters.calls(meters)).responseCache(ResponseCaches.policy(settings.responseCache(), registry, redisLink, json, clock))
                .fallbackReplies(settings.sla().routing().fallbackReplies()).tracer(tracer).build();
    }

    /** Each call's spans, exported as the OpenTelemetry SDK's OTEL_* variables say; a log record per call when asked for. */
    @Provides
    @Singleton
    io.sluice.ports.out.CallTracer callTracer(Resources resources) {
        var otel = resources.add(Telemetry.open(System.getenv(), System.getProperties()), Telemetry::close);
        io.sluice.ports.out.CallTracer tracer = new OtelCallTracer(otel);
        return settings.log().calls() ? new CallLogTracer(tracer) : tracer;
    }

    /** Hard caps, for calls and batches alike; holds no call settled are swept while the gateway runs. */
    @Provides
    @Singleton
    BudgetGuard budgetGuard(BudgetStore budgetStore, UsageLedger ledger, Clock clock, Resources resources, PrometheusMeterRegistry meters,
                            Vertx vertx, ObjectMapper json) {
        var alerts = settings.limits().alerts();
        BudgetAlerts reports = EngineMeters.budgets(meters);
        if (alerts.webhook().isPresent()) {
            reports = reports.and(resources.add(new BudgetWebhook(vertx, alerts.webhook().get(), alerts.secret(), json), BudgetWebhook::close));
        }
        BudgetGuard budgets = new BudgetGuard(settings.limits().budgets(), budgetStore, ledger, clock, settings.limits().holds().margin(),
                settings.redis().budgetsFailOpen(), new BudgetWatch(budgetStore, reports, alerts.thresholds(), BudgetWatch.DEFAULT_INTERVAL, clock));
        resources.add(budgets.sweepEvery(settings.limits().holds().sweepInterval()), Runnable::run);
        return budgets;
    }

    /** The Batch API; its runner takes up unfinished batches at start-up and is stopped with the gateway. */
    @Provides
    @Singleton
    io.sluice.ports.in.Batches batches(JdbcStorage storage, ModelRegistry registry, TokenCounter tokens, BudgetGuard budgets, UsageLedger ledger,
                                       ChatService chat, Clock clock, Resources resources, ObjectMapper json) {
        io.sluice.engine.batch.BatchParts parts = new io.sluice.engine.batch.BatchParts(storage.batches(), storage.files(),
                new io.sluice.http.server.BatchFileCodec(json), registry, tokens, settings.context(), budgets, ledger, storage.apiKeys(), chat, clock,
                settings.batches());
        io.sluice.engine.batch.BatchRunner runner = resources.add(new io.sluice.engine.batch.BatchRunner(parts).start(),
                io.sluice.engine.batch.BatchRunner::close);
        return new io.sluice.engine.batch.BatchService(parts, runner);
    }

    @Provides
    @Singleton
    Resources resources() {
        return new Resources();
    }

    /** Budget counters: in the database with the ledger, or in Redis. */
    @Provides
    @Singleton
    BudgetStore budgetStore(JdbcStorage storage, Optional<RedisLink> redis) {
        return settings.limits().budgetsInRedis() ? new RedisBudgetStore(redis(redis)) : storage.budgets();
    }

    /** Rate-limit counters: in this process, or in Redis when replicas must share them. */
    @Provides
    @Singleton
    LimitCounters limitCounters(Optional<RedisLink> redis) {
        if (!settings.limits().shared()) return new LocalLimitCounters();
        return new DegradingLimitCounters(new RedisLimitCounters(redis(redis)), settings.redis().replicas());
    }

    /**
     * The one link to {@code sluice.redis.uri}, when anything is kept there; closed with the gateway. Start-up waits a
     * moment for its first connection, and goes on without it: Redis being down degrades the gateway, never stops it.
     */
    @Provides
    @Singleton
    Optional<RedisLink> redisLink(Resources resources) {
        boolean used = settings.cache().type() == CacheSettings.Type.REDIS || settings.limits().shared() || settings.limits().budgetsInRedis()
                || settings.responseCache().enabled() && settings.responseCache().redis();
        if (!used) return Optional.empty();
        RedisLink link = resources.add(RedisLink.open(settings.cache().redisUri(), settings.redis().commandTimeout()), RedisLink::close);
        if (!link.awaitConnection(REDIS_START_WAIT)) {
            LOG.log(System.Logger.Level.WARNING, "Redis (" + settings.cache().redisUri().replaceAll("//[^@/]*@", "//***@")
                    + ") is unreachable: starting degraded (context cache misses, local rate limits, budgets "
                    + (settings.redis().budgetsFailOpen() ? "unchecked" : "refusing calls") + ") until it answers");
        }
        return Optional.of(link);
    }

    /** How long start-up waits for Redis before going on without it. */
    static final Duration REDIS_START_WAIT = Duration.ofSeconds(2);

    private RedisLink redis(Optional<RedisLink> link) {
        return link.orElseThrow(() -> new IllegalStateException("Redis is used but no link was made"));
    }

    @Provides
    @Singleton
    ContextCache contextCache(Optional<RedisLink> redis, ObjectMapper json) {
        CacheSettings cache = settings.cache();
        return switch (cache.type()) {
            case LOCAL -> new LocalContextCache(cache.ttl(), cache.maxBytes());
            case NONE -> new NoContextCache();
            case REDIS -> new RedisContextCache(redis(redis), json, cache.ttl());
        };
    }

    @Provides
    @Singleton
    GatewayServer server(Vertx vertx, ChatCompletions chat, ModelDirectory models, Conversations conversations, Readiness readiness, Erasure erasure,
                         PrometheusMeterRegistry registry, ObjectMapper json, Circuits circuits, Map<String, Endpoint> endpoints,
                         ModelRegistry registryOfModels, RouteWeights routeWeights, UsageLedger ledger, ApiKeys keys, ChatService engine, JdbcStorage storage,
                         Clock clock, io.sluice.ports.in.Batches batches, RuntimeKeys runtimeKeys, BudgetStore budgetStore) {
        GatewayServices services = new GatewayServices(chat, models, conversations,
                new UpstreamHealth(circuits, endpoints.values(), registryOfModels.servingEndpoints()), routeWeights, ledger::totals, keys, readiness, erasure,
                engine.embeddings(), new io.sluice.engine.files.FileService(storage.files(), clock), batches, runtimeKeys,
                new io.sluice.engine.budget.BudgetReport(settings.limits().budgets(), budgetStore, storage.apiKeys(), clock));
        return new GatewayServer(vertx, settings.server(), services, registry, json);
    }

    @Provides
    @Singleton
    ApiKeys apiKeys(JdbcStorage storage, Clock clock) {
        return new ApiKeyService(storage.apiKeys(), clock, settings.server().keyCacheTtl());
    }

    @Provides
    @Singleton
    Conversations conversations(ConversationStore store, ContextCache cache, TokenCounter tokens, Clock clock) {
        return new ConversationService(store, cache, tokens, clock, settings.fallbackEncoding());
    }

    /** Erasure on request, and the retention sweep when a retention is set (stopped with the gateway). */
    @Provides
    @Singleton
    Erasure erasure(JdbcStorage storage, ContextCache cache, Clock clock, Resources resources, BudgetStore budgets) {
        ErasureService erasure = new ErasureService(storage.erasure(), cache, settings.limits().budgetsInRedis() ? budgets : null);
        RetentionSettings r = settings.retention();
        Retention retention = new Retention(erasure, r.days(), r.perOwner(), clock);
        if (retention.active()) resources.add(retention.sweepEvery(r.sweepInterval()), Runnable::run);
        return erasure;
    }
}
