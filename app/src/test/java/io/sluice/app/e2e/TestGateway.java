package io.sluice.app.e2e;

import io.sluice.app.Gateway;
import io.sluice.app.config.CacheSettings;
import io.sluice.app.config.GatewaySettings;
import io.sluice.domain.ModelSpec;
import io.sluice.engine.cache.LocalContextCache;
import io.sluice.engine.memory.ContextDefaults;
import io.sluice.engine.memory.SummaryPolicy;
import io.sluice.http.server.ServerSettings;
import io.sluice.jdbc.StorageSettings;
import io.sluice.ports.out.ProviderSettings;
import io.sluice.testkit.db.PostgresTestSchema;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real gateway on a random port, in front of an in-process simulator, on a real database. Upstream calls time out
 * after {@link #UPSTREAM_TIMEOUT} so that hang tests stay short.
 */
final class TestGateway implements AutoCloseable {
    static final Duration UPSTREAM_TIMEOUT = Duration.ofMillis(1500);
    static final long MAX_BODY_BYTES = 64 * 1024;

    final Simulator simulator;
    final Gateway gateway;
    final StorageSettings storage;
    private final AutoCloseable database;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestGateway(StorageSettings storage, AutoCloseable database, List<ModelSpec> models, CacheSettings cache, SummaryPolicy summary,
                        ContextDefaults context) {
        this(storage, database, models, cache, summary, context, Optional.empty(), io.sluice.app.config.LimitSettings.NONE, 0,
                java.util.function.UnaryOperator.identity());
    }

    private TestGateway(StorageSettings storage, AutoCloseable database, List<ModelSpec> models, CacheSettings cache, SummaryPolicy summary,
                        ContextDefaults context, Optional<String> adminKey, io.sluice.app.config.LimitSettings limits) {
        this(storage, database, models, cache, summary, context, adminKey, limits, 0, java.util.function.UnaryOperator.identity());
    }

    /** @param port 0 for any free port (one listener), else this port, shared by a listener per core as in production */
    private TestGateway(StorageSettings storage, AutoCloseable database, List<ModelSpec> models, CacheSettings cache, SummaryPolicy summary,
                        ContextDefaults context, Optional<String> adminKey, io.sluice.app.config.LimitSettings limits, int port,
                        java.util.function.UnaryOperator<ServerSettings> server) {
        this.storage = storage;
        this.database = database;
        simulator = new Simulator(SimulatorConfig.ofDefaults());
        simulator.start(0);
        GatewaySettings settings = GatewaySettings.builder(server.apply(new ServerSettings("127.0.0.1", port, MAX_BODY_BYTES,
                adminKey.map(io.sluice.domain.keys.KeySecrets::hash))), storage)
                .providers(List.of(new ProviderSettings(PROVIDER, "openai", simulator.baseUrl(), "sk-sim-secret", UPSTREAM_TIMEOUT, 50, Map.of()),
                        new ProviderSettings(ANTHROPIC, "anthropic", simulator.baseUrl(), "sk-ant-secret", UPSTREAM_TIMEOUT, 50, Map.of()),
                        new ProviderSettings(GEMINI, "gemini", simulator.geminiBaseUrl(), "g-secret", UPSTREAM_TIMEOUT, 50, Map.of())))
                .models(models).passthroughProvider(Optional.of(PROVIDER)).context(context).cache(cache).summary(summary).limits(limits)
                .redis(limits == io.sluice.app.config.LimitSettings.NONE ? io.sluice.app.config.RedisSettings.DEFAULTS : UNDER_LOAD).build();
        gateway = Gateway.start(settings);
    }

    static final String PROVIDER = "sim";
    /**
     * Redis for the tests that load shared counters with hundreds of calls at once: on two cores shared with the test's
     * clients, a command can wait past the production timeout of 500 ms, which would count Redis as down for a second.
     */
    static final io.sluice.app.config.RedisSettings UNDER_LOAD = new io.sluice.app.config.RedisSettings(Duration.ofSeconds(3), 1, false);
    /** The test Redis, shared by replicas for the context cache (and the rate-limit counters when limits are shared). */
    static final CacheSettings REDIS_CACHE = new CacheSettings(CacheSettings.Type.REDIS, Duration.ofMinutes(5), LocalContextCache.DEFAULT_MAX_BYTES,
            System.getenv().getOrDefault("SLUICE_TEST_REDIS_URI", "redis://127.0.0.1:6379"));
    /** The same simulator, spoken to in Anthropic's and Gemini's APIs. */
    static final String ANTHROPIC = "sim-anthropic";
    static final String GEMINI = "sim-gemini";

    /** A Claude and a Gemini model besides the passthrough OpenAI ones, each on the simulator in its own API. */
    static final List<ModelSpec> EVERY_PROVIDER = List.of(
            new ModelSpec("claude-sonnet-4.5", ANTHROPIC, "claude-sonnet-4-5", 200_000, io.sluice.domain.Encoding.O200K_BASE, io.sluice.domain.Prices.FREE),
            new ModelSpec("gemini-2.5-flash", GEMINI, "gemini-2.5-flash", 1_000_000, io.sluice.domain.Encoding.O200K_BASE, io.sluice.domain.Prices.FREE));

    /** On a fresh schema of the test PostgreSQL, dropped on close. */
    static TestGateway onPostgres() {
        return on("postgres", List.of());
    }

    /** On a fresh PostgreSQL schema, with gateway API keys required and this admin key. */
    static TestGateway onPostgresWithKeys(String adminKey) {
        return onPostgresWithKeys(adminKey, List.of());
    }

    /** On a fresh PostgreSQL schema, with gateway API keys required, this admin key and these models. */
    static TestGateway onPostgresWithKeys(String adminKey, List<ModelSpec> models) {
        return onPostgresWithKeys(adminKey, models, io.sluice.app.config.LimitSettings.NONE);
    }

    /** On a fresh PostgreSQL schema, with gateway API keys required, this admin key, these models and limits. */
    static TestGateway onPostgresWithKeys(String adminKey, List<ModelSpec> models, io.sluice.app.config.LimitSettings limits) {
        PostgresTestSchema schema = new PostgresTestSchema();
        return new TestGateway(new StorageSettings(StorageSettings.Dialect.POSTGRESQL, schema.jdbcUrl(), schema.user(), schema.password(), 8),
                schema, models, CacheSettings.local(), SummaryPolicy.ofDefaults(), ContextDefaults.ofDefaults(), Optional.of(adminKey), limits);
    }

    /** On a fresh PostgreSQL schema, with these rate limits. */
    static TestGateway onPostgresWithLimits(List<ModelSpec> models, io.sluice.app.config.LimitSettings limits) {
        PostgresTestSchema schema = new PostgresTestSchema();
        return new TestGateway(new StorageSettings(StorageSettings.Dialect.POSTGRESQL, schema.jdbcUrl(), schema.user(), schema.password(), 8),
                schema, models, REDIS_CACHE, SummaryPolicy.ofDefaults(), ContextDefaults.ofDefaults(), Optional.empty(), limits);
    }

    /** A second replica of {@code other}, with these rate limits. */
    static TestGateway replicaWithLimits(TestGateway other, List<ModelSpec> models, io.sluice.app.config.LimitSettings limits) {
        return new TestGateway(other.storage, () -> { }, models, REDIS_CACHE, SummaryPolicy.ofDefaults(), ContextDefaults.ofDefaults(),
                Optional.empty(), limits);
    }

    static TestGateway onH2() {
        return on("h2", List.of());
    }

    /** On a fresh PostgreSQL schema, listening on this fixed port as a deployed gateway does. */
    static TestGateway onPostgresAtPort(int port) {
        PostgresTestSchema schema = new PostgresTestSchema();
        return new TestGateway(new StorageSettings(StorageSettings.Dialect.POSTGRESQL, schema.jdbcUrl(), schema.user(), schema.password(), 8),
                schema, List.of(), CacheSettings.local(), SummaryPolicy.ofDefaults(), ContextDefaults.ofDefaults(), Optional.empty(),
                io.sluice.app.config.LimitSettings.NONE, port, java.util.function.UnaryOperator.identity());
    }

    /** On a database the test owns (and may stop), with the local context cache. */
    static TestGateway onStorage(StorageSettings storage) {
        return new TestGateway(storage, () -> { }, List.of(), CacheSettings.local(), SummaryPolicy.ofDefaults(), ContextDefaults.ofDefaults());
    }

    /** On an embedded H2 database, with the context cache, and what {@code limits} keeps there, in the Redis at {@code redisUri}. */
    static TestGateway onH2WithRedis(String redisUri, List<ModelSpec> models, io.sluice.app.config.LimitSettings limits) {
        try {
            return new TestGateway(StorageSettings.embedded(Files.createTempDirectory("sluice-e2e").toString()), () -> { }, models,
                    new CacheSettings(CacheSettings.Type.REDIS, Duration.ofMinutes(5), LocalContextCache.DEFAULT_MAX_BYTES, redisUri), SummaryPolicy.ofDefaults(),
                    ContextDefaults.ofDefaults(), Optional.empty(), limits);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** On an embedded H2 database, with these connection timeouts. */
    static TestGateway onH2WithTimeouts(Duration idle, Duration requestRead) {
        try {
            return new TestGateway(StorageSettings.embedded(Files.createTempDirectory("sluice-e2e").toString()), () -> { }, List.of(),
                    CacheSettings.local(), SummaryPolicy.ofDefaults(), ContextDefaults.ofDefaults(), Optional.empty(),
                    io.sluice.app.config.LimitSettings.NONE, 0, server -> server.withTimeouts(idle, requestRead));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TestGateway on(String storage) {
        return on(storage, List.of());
    }

    static TestGateway on(String storage, List<ModelSpec> models) {
        return on(storage, models, CacheSettings.local());
    }

    /** A second replica: the same database as {@code other}, its own simulator and cache settings. */
    static TestGateway replicaOf(TestGateway other, CacheSettings cache) {
        return new TestGateway(other.storage, () -> { }, List.of(), cache, SummaryPolicy.ofDefaults(), ContextDefaults.ofDefaults());
    }

    static TestGateway on(String storage, List<ModelSpec> models, CacheSettings cache) {
        return on(storage, models, cache, SummaryPolicy.ofDefaults());
    }

    static TestGateway on(String storage, List<ModelSpec> models, ContextDefaults context) {
        return on(storage, models, CacheSettings.local(), SummaryPolicy.ofDefaults(), context);
    }

    static TestGateway on(String storage, List<ModelSpec> models, CacheSettings cache, SummaryPolicy summary) {
        return on(storage, models, cache, summary, ContextDefaults.ofDefaults());
    }

    static TestGateway on(String storage, List<ModelSpec> models, CacheSettings cache, SummaryPolicy summary, ContextDefaults context) {
        if ("postgres".equals(storage)) {
            PostgresTestSchema schema = new PostgresTestSchema();
            return new TestGateway(new StorageSettings(StorageSettings.Dialect.POSTGRESQL, schema.jdbcUrl(), schema.user(),
                    schema.password(), 8), schema, models, cache, summary, context);
        }
        try {
            return new TestGateway(StorageSettings.embedded(Files.createTempDirectory("sluice-e2e").toString()), () -> { }, models, cache, summary, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String baseUrl() {
        return gateway.baseUrl();
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        return post(path, HttpRequest.BodyPublishers.ofString(body), headers);
    }

    HttpResponse<String> post(String path, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(20)).header("content-type", "application/json").POST(body);
        if (headers.length > 0) request.headers(headers);
        return send(request.build());
    }

    HttpResponse<String> put(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).timeout(Duration.ofSeconds(20))
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json");
        if (headers.length > 0) request.headers(headers);
        return send(request.build());
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).timeout(Duration.ofSeconds(20)).GET();
        if (headers.length > 0) request.headers(headers);
        return send(request.build());
    }

    HttpResponse<String> delete(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).timeout(Duration.ofSeconds(20)).DELETE();
        if (headers.length > 0) request.headers(headers);
        return send(request.build());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).timeout(Duration.ofSeconds(20)).GET().build());
    }

    HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path)).timeout(Duration.ofSeconds(20)).DELETE().build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String chat(String userText) {
        return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":" + quote(userText) + "}]}";
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() throws Exception {
        gateway.close();
        simulator.close();
        database.close();
    }
}
