package io.sluice.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.app.config.GatewaySettings;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.sluice.app.config.CacheSettings;
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
import io.sluice.engine.ModelRegistry;
import io.sluice.engine.tokens.JtokkitTokenCounter;
import io.sluice.http.openai.OpenAiProviderFactory;
import io.sluice.http.server.GatewayServer;
import io.sluice.jdbc.JdbcStorage;
import io.sluice.ports.in.ChatCompletions;
import io.sluice.ports.in.Conversations;
import io.sluice.ports.in.ModelDirectory;
import io.sluice.ports.in.Readiness;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.LlmProviderFactory;
import io.sluice.ports.out.ProviderEnvironment;
import io.sluice.ports.out.ProviderSettings;
import io.sluice.ports.out.TokenCounter;
import io.vertx.core.Vertx;
import java.time.Clock;
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
    private final GatewaySettings settings;

    public GatewayModule(GatewaySettings settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(GatewaySettings.class).toInstance(settings);
        Multibinder.newSetBinder(binder(), LlmProviderFactory.class).addBinding().to(OpenAiProviderFactory.class);
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
    Readiness readiness(ConversationStore store) {
        return store::ping;
    }

    @Provides
    @Singleton
    Map<String, LlmProvider> providers(Set<LlmProviderFactory> registered, Vertx vertx, ObjectMapper json) {
        ProviderFactories factories = new ProviderFactories(registered);
        ProviderEnvironment environment = new ProviderEnvironment() {
            @Override
            public <T> Optional<T> lookup(Class<T> type) {
                if (type == Vertx.class) return Optional.of(type.cast(vertx));
                if (type == ObjectMapper.class) return Optional.of(type.cast(json));
                return Optional.empty();
            }
        };
        Map<String, LlmProvider> providers = new LinkedHashMap<>();
        for (ProviderSettings p : settings.providers()) {
            providers.put(p.name(), factories.get(p.type(), p.name()).create(p, environment));
        }
        return providers;
    }

    @Provides
    @Singleton
    ModelRegistry modelRegistry(Map<String, LlmProvider> providers) {
        return new ModelRegistry(providers, settings.models(), settings.passthroughProvider(), settings.fallbackEncoding());
    }

    @Provides
    @Singleton
    ChatService chatService(ModelRegistry registry, ConversationStore store, ContextCache cache, TokenCounter tokens, Clock clock) {
        Embedder embedder = settings.semantic().isLocal() ? new LexicalEmbedder(LexicalVectors.DEFAULT_DIMENSIONS)
                : new ProviderEmbedder(registry, settings.semantic().embedder());
        return new ChatService(registry, store, cache, tokens, clock, settings.context(), settings.summary(),
                new SemanticRecall(store, embedder, settings.semantic().candidates()));
    }

    @Provides
    @Singleton
    Resources resources() {
        return new Resources();
    }

    @Provides
    @Singleton
    ContextCache contextCache(Resources resources, ObjectMapper json) {
        CacheSettings cache = settings.cache();
        return switch (cache.type()) {
            case LOCAL -> new LocalContextCache(cache.ttl(), cache.maxTotalTokens());
            case NONE -> new NoContextCache();
            case REDIS -> {
                RedisClient client = resources.add(RedisClient.create(cache.redisUri()), RedisClient::shutdown);
                StatefulRedisConnection<String, String> connection = resources.add(client.connect(), StatefulRedisConnection::close);
                yield new RedisContextCache(connection.async(), json, cache.ttl());
            }
        };
    }

    @Provides
    @Singleton
    GatewayServer server(Vertx vertx, ChatCompletions chat, ModelDirectory models, Conversations conversations, Readiness readiness,
                         PrometheusMeterRegistry registry, ObjectMapper json) {
        return new GatewayServer(vertx, settings.server(), chat, models, conversations, readiness, registry, json);
    }

    @Provides
    @Singleton
    Conversations conversations(ConversationStore store, ContextCache cache, TokenCounter tokens, Clock clock) {
        return new ConversationService(store, cache, tokens, clock, settings.fallbackEncoding());
    }
}
