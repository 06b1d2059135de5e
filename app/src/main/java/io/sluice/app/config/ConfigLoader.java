package io.sluice.app.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.domain.budget.Budget;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.sla.CircuitSettings;
import io.sluice.domain.sla.RetrySettings;
import io.sluice.domain.sla.SlaTier;
import io.sluice.engine.memory.ContextDefaults;
import io.sluice.engine.memory.SummaryPolicy;
import io.sluice.engine.limits.RateLimits;
import io.sluice.http.server.ServerSettings;
import io.sluice.jdbc.StorageSettings;
import io.sluice.ports.out.ProviderSettings;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code sluice.yaml} (or the file given), environment variables and command-line overrides, in rising order
 * of precedence, and turns them into validated {@link GatewaySettings}. Any problem is a {@link ConfigProblem}
 * naming the key. Also applies the OpenAI SDKs' own variables: with {@code OPENAI_API_KEY} set, unconfigured
 * models go to OpenAI (or {@code OPENAI_BASE_URL}); with no upstream at all, the simulator is the upstream.
 */
public final class ConfigLoader {
    public static final String DEFAULT_FILE = "sluice.yaml";
    public static final String OPENAI_PROVIDER = "openai";
    public static final String SIMULATOR_PROVIDER = "simulator";
    public static final String OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";
    private static final int OVERRIDE_ORDINAL = 500;
    /** An admin key shorter than this could be guessed. */
    static final int MIN_ADMIN_KEY_LENGTH = 16;

    private ConfigLoader() {}

    /**
     * @param file      the config file; empty means {@code ./sluice.yaml} when it exists, else defaults only
     * @param env       the process environment (OPENAI_API_KEY, OPENAI_BASE_URL)
     * @param overrides properties that win over everything, e.g. {@code sluice.server.port} from {@code --port}
     */
    public static GatewaySettings load(Optional<Path> file, Map<String, String> env, Map<String, String> overrides) {
        SluiceConfig config = read(file, overrides);
        return settings(config, env);
    }

    static SluiceConfig read(Optional<Path> file, Map<String, String> overrides) {
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultSources()
                .withSources(new PropertiesConfigSource(overrides, "command line", OVERRIDE_ORDINAL))
                .withConverter(java.time.Duration.class, 200, new DurationConverter())
                .withMapping(SluiceConfig.class);
        Path path = file.orElse(Path.of(DEFAULT_FILE));
        if (file.isPresent() && !Files.isRegularFile(path)) {
            throw new ConfigProblem("--config", "no such file: " + path);
        }
        if (Files.isRegularFile(path)) {
            try {
                builder.withSources(new YamlConfigSource(path.toUri().toURL(), 250));
            } catch (MalformedURLException e) {
                throw new ConfigProblem("--config", "not a readable path: " + path);
            } catch (IOException | RuntimeException e) {
                throw new ConfigProblem("the config file " + path + " is not valid YAML: " + e.getMessage(), e);
            }
        }
        try {
            SmallRyeConfig config = builder.build();
            return config.getConfigMapping(SluiceConfig.class);
        } catch (io.smallrye.config.ConfigValidationException e) {
            // Each problem names its key, e.g. "SRCFG00039: The config property sluice.server.port with the config value ...".
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < e.getProblemCount(); i++) problems.add(e.getProblem(i).getMessage().replaceFirst("^[a-zA-Z.]*Exception: ", ""));
            throw new ConfigProblem(String.join("; ", problems), e);
        } catch (RuntimeException e) {
            throw new ConfigProblem("invalid configuration: " + e.getMessage(), e);
        }
    }

    static GatewaySettings settings(SluiceConfig c, Map<String, String> env) {
        Optional<String> adminKey = c.auth().adminKey().map(String::strip).filter(k -> !k.isEmpty());
        adminKey.ifPresent(k -> {
            if (k.length() < MIN_ADMIN_KEY_LENGTH) {
                throw new ConfigProblem("sluice.auth.admin-key", "must be at least " + MIN_ADMIN_KEY_LENGTH + " characters long");
            }
        });
        ServerSettings server = check("sluice.server", () -> new ServerSettings(c.server().host(), c.server().port(), c.server().maxBodyBytes(),
                adminKey.map(io.sluice.domain.keys.KeySecrets::hash), c.auth().keyCacheTtl(), c.server().maxEventLoopLag()));
        Encoding fallback = Encoding.fromName(c.fallbackEncoding())
                .orElseThrow(() -> new ConfigProblem("sluice.fallback-encoding", "unknown encoding '" + c.fallbackEncoding()
                        + "'; use o200k_base or cl100k_base"));

        List<ProviderSettings> providers = new ArrayList<>();
        c.providers().forEach((name, p) -> {
            ProviderSettings.HttpVersion version = ProviderSettings.HttpVersion.parse(p.httpVersion()).orElseThrow(() -> new ConfigProblem(
                    "sluice.providers." + name + ".http-version", "unknown HTTP version '" + p.httpVersion() + "'; use 1.1 or 2"));
            providers.add(check("sluice.providers." + name, () -> new ProviderSettings(name, p.type(),
                    p.baseUrl(), p.apiKey().orElse(null), p.timeout(), p.maxConnections(), p.options(), version)));
        });

        Optional<String> passthrough = c.passthroughProvider();
        String openAiKey = env.get("OPENAI_API_KEY");
        boolean hasOpenAiProvider = c.providers().containsKey(OPENAI_PROVIDER);
        if (openAiKey != null && !openAiKey.isBlank() && !hasOpenAiProvider) {
            providers.add(new ProviderSettings(OPENAI_PROVIDER, "openai", env.getOrDefault("OPENAI_BASE_URL", OPENAI_DEFAULT_BASE_URL),
                    openAiKey, null, ProviderSettings.DEFAULT_MAX_CONNECTIONS, Map.of()));
            if (passthrough.isEmpty()) passthrough = Optional.of(OPENAI_PROVIDER);
        }
        boolean startSimulator = providers.isEmpty();
        List<ModelSpec> models = new ArrayList<>();
        if (startSimulator) {
            passthrough = Optional.of(SIMULATOR_PROVIDER);
            for (String m : SimulatorConfig.DEFAULT_MODELS) {
                if (!m.startsWith("text-embedding")) models.add(spec(m, SIMULATOR_PROVIDER, null, ModelSpec.DEFAULT_CONTEXT_WINDOW, null, Prices.FREE, fallback));
            }
        }
        List<String> providerNames = new ArrayList<>(providers.stream().map(ProviderSettings::name).toList());
        if (startSimulator) providerNames.add(SIMULATOR_PROVIDER);
        passthrough.ifPresent(name -> {
            if (!providerNames.contains(name)) {
                throw new ConfigProblem("sluice.passthrough-provider", "names provider '" + name + "', which is not configured; configured: " + providerNames);
            }
        });
        c.models().forEach((name, m) -> {
            String key = "sluice.models.\"" + name + "\"";
            if (!providerNames.contains(m.provider())) {
                throw new ConfigProblem(key + ".provider", "unknown provider '" + m.provider() + "'; configured: " + providerNames);
            }
            Encoding encoding = m.encoding().map(e -> Encoding.fromName(e).orElseThrow(() ->
                    new ConfigProblem(key + ".encoding", "unknown encoding '" + e + "'; use o200k_base or cl100k_base"))).orElse(null);
            Prices prices = check(key, () -> new Prices(m.inputPrice(), m.outputPrice(), m.cachedInputPrice().orElse(m.inputPrice())));
            models.add(check(key, () -> spec(name, m.provider(), m.upstreamName().orElse(null), m.contextWindow(), encoding, prices, fallback)));
        });

        StorageSettings storage = switch (c.storage().type()) {
            case "embedded" -> StorageSettings.embedded(c.storage().embedded().path());
            case "postgres" -> check("sluice.storage.postgres", () -> new StorageSettings(StorageSettings.Dialect.POSTGRESQL,
                    c.storage().postgres().url(), c.storage().postgres().user(), c.storage().postgres().password().orElse(null),
                    c.storage().postgres().poolSize()));
            default -> throw new ConfigProblem("sluice.storage.type", "unknown storage type '" + c.storage().type() + "'; use embedded or postgres");
        };
        ContextDefaults context = check("sluice.context", () -> {
            try {
                return new ContextDefaults(ContextStrategy.parse(c.context().defaultStrategy()), c.context().replyReserveTokens(),
                        c.context().cache().maxTokens(), modelStrategies(c), contextFallbacks(c));
            } catch (InvalidRequestException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        });
        CacheSettings cache = check("sluice.context.cache", () -> new CacheSettings(CacheSettings.Type.of(c.context().cache().type()),
                c.context().cache().ttl(), c.context().cache().maxTotalTokens(), c.redis().uri()));
        ContextConfig.Summary s = c.context().summary();
        SummaryPolicy summary = check("sluice.context.summary", () -> new SummaryPolicy(s.model(), s.thresholdTokens(),
                s.keepRecentTokens(), s.maxSummaryTokens()));
        List<String> modelNames = models.stream().map(ModelSpec::name).toList();
        Optional<String> passthroughProvider = passthrough;
        summary.model().ifPresent(m -> {
            if (!modelNames.contains(m) && passthroughProvider.isEmpty()) {
                throw new ConfigProblem("sluice.context.summary.model", "unknown model '" + m + "'; configured: " + modelNames);
            }
        });
        SemanticSettings semantic = check("sluice.context.semantic", () -> new SemanticSettings(c.context().semantic().embedder(),
                c.context().semantic().candidates()));
        if (!semantic.isLocal() && !modelNames.contains(semantic.embedder()) && passthroughProvider.isEmpty()) {
            throw new ConfigProblem("sluice.context.semantic.embedder", "unknown model '" + semantic.embedder() + "'; use local or one of " + modelNames);
        }
        List<EndpointSettings> endpoints = new ArrayList<>();
        c.providers().forEach((name, p) -> endpoints.add(check("sluice.providers." + name, () -> new EndpointSettings(name, p.weight(),
                p.keys().filter(k -> !k.isEmpty()).map(keys -> keys.stream().map(k -> new EndpointSettings.Key(k.key(), k.rpm(), k.tpm())).toList())
                        .orElse(List.of(new EndpointSettings.Key(p.apiKey().orElse(null), 0)))))));
        Map<String, List<String>> modelEndpoints = new java.util.HashMap<>();
        c.models().forEach((name, m) -> m.endpoints().ifPresent(list -> {
            for (String e : list) {
                if (!providerNames.contains(e)) {
                    throw new ConfigProblem("sluice.models.\"" + name + "\".endpoints", "unknown provider '" + e + "'; configured: " + providerNames);
                }
            }
            modelEndpoints.put(name, List.copyOf(list));
        }));
        RoutingSettings routing = RoutingConfig.read(c, modelNames);
        SlaSettings sla = check("sluice.routes", () -> sla(c.sla()).withRouting(routing));
        return new GatewaySettings(server, storage, providers, models, passthrough, fallback, context, cache, summary, semantic,
                endpoints, modelEndpoints, sla, startSimulator, limits(c.limits()).withBudgets(budgets(c.budgets())).withBudgetsInRedis(budgetsInRedis(c.budgets()))
                        .withHolds(check("sluice.budgets.hold-margin", () -> new LimitSettings.Holds(c.budgets().holdMargin(), c.budgets().sweepInterval())))
                        .withConcurrency(check("sluice.limits.concurrency", () -> new LimitSettings.Concurrency(c.limits().concurrency().adaptive(),
                                c.limits().concurrency().initialLimit(), c.limits().concurrency().maxLimit(),
                                c.limits().concurrency().maxQueue()))), c.storage().commitBillBeforeAnswer());
    }

    private static LimitSettings limits(LimitsConfig l) {
        boolean shared = switch (l.store()) {
            case "local" -> false;
            case "redis" -> true;
            default -> throw new ConfigProblem("sluice.limits.store", "unknown store '" + l.store() + "'; use local or redis");
        };
        Map<String, long[]> models = new java.util.HashMap<>();
        l.models().forEach((name, r) -> models.put(name, new long[] {nonNegative("sluice.limits.models.\"" + name + "\".rpm", r.rpm()),
                nonNegative("sluice.limits.models.\"" + name + "\".tpm", r.tpm())}));
        return new LimitSettings(new RateLimits(nonNegative("sluice.limits.key.rpm", l.key().rpm()),
                nonNegative("sluice.limits.key.tpm", l.key().tpm()), nonNegative("sluice.limits.user.rpm", l.user().rpm()),
                nonNegative("sluice.limits.user.tpm", l.user().tpm()), models), shared);
    }

    private static boolean budgetsInRedis(BudgetsConfig b) {
        return switch (b.store()) {
            case "database" -> false;
            case "redis" -> true;
            default -> throw new ConfigProblem("sluice.budgets.store", "unknown store '" + b.store() + "'; use database or redis");
        };
    }

    private static List<Budget> budgets(BudgetsConfig b) {
        List<Budget> budgets = new ArrayList<>();
        Map<Budget.Scope, BudgetsConfig.Caps> scopes = Map.of(Budget.Scope.GLOBAL, b.global(), Budget.Scope.KEY, b.key(),
                Budget.Scope.USER, b.user(), Budget.Scope.CONVERSATION, b.conversation());
        scopes.forEach((scope, caps) -> {
            String key = "sluice.budgets." + scope.name().toLowerCase(java.util.Locale.ROOT);
            Map<Budget.Period, Optional<BigDecimal>> periods = Map.of(Budget.Period.DAY, caps.day(), Budget.Period.MONTH, caps.month(),
                    Budget.Period.TOTAL, caps.total());
            periods.forEach((period, limit) -> limit.ifPresent(usd -> budgets.add(check(
                    key + "." + period.name().toLowerCase(java.util.Locale.ROOT), () -> new Budget(scope, period, usd)))));
        });
        return budgets;
    }

    private static long nonNegative(String key, long value) {
        if (value < 0) throw new ConfigProblem(key, "must be 0 (no limit) or more, was " + value);
        return value;
    }

    private static SlaSettings sla(SlaConfig s) {
        Map<String, SlaTier> tiers = new java.util.HashMap<>(SlaTier.DEFAULTS);
        s.tiers().forEach((name, t) -> tiers.put(name, check("sluice.sla.tiers." + name,
                () -> new SlaTier(name, t.connectTimeout(), t.firstChunkTimeout(), t.deadline()))));
        RetrySettings retries = check("sluice.sla.retry", () -> new RetrySettings(s.retry().maxAttempts(), s.retry().baseDelay(),
                s.retry().maxDelay(), s.retry().maxRetryAfter()));
        CircuitSettings circuits = check("sluice.sla.circuit", () -> new CircuitSettings(s.circuit().failureRate(),
                s.circuit().minimumCalls(), s.circuit().window(), s.circuit().successThreshold(), s.circuit().openFor()));
        return check("sluice.sla.default-tier", () -> new SlaSettings(tiers, s.defaultTier(), retries, circuits));
    }

    private static Map<String, ContextStrategy> modelStrategies(SluiceConfig c) {
        Map<String, ContextStrategy> strategies = new java.util.HashMap<>();
        c.models().forEach((name, m) -> m.contextStrategy().ifPresent(s -> {
            try {
                strategies.put(name, ContextStrategy.parse(s));
            } catch (InvalidRequestException e) {
                throw new ConfigProblem("sluice.models.\"" + name + "\".context-strategy", e.getMessage());
            }
        }));
        return strategies;
    }

    private static Map<String, String> contextFallbacks(SluiceConfig c) {
        Map<String, String> fallbacks = new java.util.HashMap<>();
        c.models().forEach((name, m) -> m.contextFallback().ifPresent(f -> {
            ModelConfig larger = c.models().get(f);
            if (larger == null) {
                throw new ConfigProblem("sluice.models.\"" + name + "\".context-fallback", "unknown model '" + f + "'; configured: " + c.models().keySet());
            }
            if (larger.contextWindow() <= m.contextWindow()) {
                throw new ConfigProblem("sluice.models.\"" + name + "\".context-fallback", "'" + f + "' has no larger context window ("
                        + larger.contextWindow() + " <= " + m.contextWindow() + ")");
            }
            fallbacks.put(name, f);
        }));
        return fallbacks;
    }

    private static ModelSpec spec(String name, String provider, String upstream, int window, Encoding encoding, Prices prices, Encoding fallback) {
        Encoding e = encoding != null ? encoding : Encoding.forOpenAiModel(upstream != null ? upstream : name).orElse(fallback);
        return new ModelSpec(name, provider, upstream, window, e, prices);
    }

    private static <T> T check(String key, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigProblem(key, e.getMessage());
        }
    }
}
