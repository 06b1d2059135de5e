package io.sluice.app.config;

import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.engine.memory.ContextDefaults;
import io.sluice.engine.memory.SummaryPolicy;
import io.sluice.http.server.ServerSettings;
import io.sluice.jdbc.StorageSettings;
import io.sluice.ports.out.ProviderSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the gateway needs to start, validated: the result of reading {@link SluiceConfig} and the environment.
 * Immutable.
 */
public record GatewaySettings(ServerSettings server, StorageSettings storage, List<ProviderSettings> providers,
                              List<ModelSpec> models, Optional<String> passthroughProvider, Encoding fallbackEncoding,
                              ContextDefaults context, CacheSettings cache, SummaryPolicy summary, SemanticSettings semantic,
                              List<EndpointSettings> endpoints, Map<String, List<String>> modelEndpoints, SlaSettings sla,
                              boolean startSimulator, LimitSettings limits, boolean commitBillBeforeAnswer, RedisSettings redis,
                              RetentionSettings retention, boolean requirePrices,
                              ResponseCacheSettings responseCache, io.sluice.engine.batch.BatchSettings batches, io.sluice.app.logging.LogSettings log) {
    public GatewaySettings {
        providers = List.copyOf(providers);
        models = List.copyOf(models);
        endpoints = List.copyOf(endpoints);
        modelEndpoints = Map.copyOf(modelEndpoints);
        limits = limits == null ? LimitSettings.NONE : limits;
        redis = redis == null ? RedisSettings.DEFAULTS : redis;
        retention = retention == null ? RetentionSettings.FOREVER : retention;
        responseCache = responseCache == null ? ResponseCacheSettings.OFF : responseCache;
        batches = batches == null ? io.sluice.engine.batch.BatchSettings.ofDefaults() : batches;
        log = log == null ? io.sluice.app.logging.LogSettings.DEFAULTS : log;
    }

    /** Settings to build from a server and a storage; everything else has the embedded defaults until set. */
    public static Builder builder(ServerSettings server, StorageSettings storage) {
        return new Builder(server, storage);
    }

    /** The failover settings of a provider: those configured, else weight 1 and its one api-key. */
    public EndpointSettings endpointOf(ProviderSettings provider) {
        return endpoints.stream().filter(e -> e.provider().equals(provider.name())).findFirst()
                .orElseGet(() -> new EndpointSettings(provider.name(), 1, List.of(new EndpointSettings.Key(provider.apiKey(), 0))));
    }

    public GatewaySettings withProviders(List<ProviderSettings> value) {
        return new GatewaySettings(server, storage, value, models, passthroughProvider, fallbackEncoding, context, cache, summary, semantic,
                endpoints, modelEndpoints, sla, startSimulator, limits, commitBillBeforeAnswer, redis, retention, requirePrices, responseCache, batches, log);
    }

    /**
     * Builds {@link GatewaySettings}. Defaults: no providers or models, no passthrough, o200k_base for unknown models, the
     * context, summary and semantic defaults, the local context cache, the default SLA policies, no limits or budgets,
     * bills committed before their answers, no simulator. Not thread-safe.
     */
    public static final class Builder {
        private final ServerSettings server;
        private final StorageSettings storage;
        private List<ProviderSettings> providers = List.of();
        private List<ModelSpec> models = List.of();
        private Optional<String> passthroughProvider = Optional.empty();
        private Encoding fallbackEncoding = Encoding.O200K_BASE;
        private ContextDefaults context = ContextDefaults.ofDefaults();
        private CacheSettings cache = CacheSettings.local();
        private SummaryPolicy summary = SummaryPolicy.ofDefaults();
        private SemanticSettings semantic = SemanticSettings.ofDefaults();
        private List<EndpointSettings> endpoints = List.of();
        private Map<String, List<String>> modelEndpoints = Map.of();
        private SlaSettings sla = SlaSettings.ofDefaults();
        private boolean startSimulator;
        private LimitSettings limits = LimitSettings.NONE;
        private boolean commitBillBeforeAnswer = true;
        private RedisSettings redis = RedisSettings.DEFAULTS;
        private RetentionSettings retention = RetentionSettings.FOREVER;
        private io.sluice.engine.batch.BatchSettings batches = io.sluice.engine.batch.BatchSettings.ofDefaults();
        private io.sluice.app.logging.LogSettings log = io.sluice.app.logging.LogSettings.DEFAULTS;
        private boolean requirePrices;
        private ResponseCacheSettings responseCache = ResponseCacheSettings.OFF;

        private Builder(ServerSettings server, StorageSettings storage) {
            this.server = server;
            this.storage = storage;
        }

        public Builder providers(List<ProviderSettings> value) {
            providers = value;
            return this;
        }

        public Builder models(List<ModelSpec> value) {
            models = value;
            return this;
        }

        /** The provider that serves a model no {@code models} entry names, under its own name. */
        public Builder passthroughProvider(Optional<String> value) {
            passthroughProvider = value;
            return this;
        }

        public Builder fallbackEncoding(Encoding value) {
            fallbackEncoding = value;
            return this;
        }

        public Builder context(ContextDefaults value) {
            context = value;
            return this;
        }

        public Builder cache(CacheSettings value) {
            cache = value;
            return this;
        }

        public Builder summary(SummaryPolicy value) {
            summary = value;
            return this;
        }

        public Builder semantic(SemanticSettings value) {
            semantic = value;
            return this;
        }

        /** Each provider's weight and keys, for failover; a provider not listed has weight 1 and its one api-key. */
        public Builder endpoints(List<EndpointSettings> value) {
            endpoints = value;
            return this;
        }

        /** The providers that serve each model, when more than its own. */
        public Builder modelEndpoints(Map<String, List<String>> value) {
            modelEndpoints = value;
            return this;
        }

        public Builder sla(SlaSettings value) {
            sla = value;
            return this;
        }

        /** Whether {@code serve} starts the simulator as the upstream (no provider configured). */
        public Builder startSimulator(boolean value) {
            startSimulator = value;
            return this;
        }

        public Builder limits(LimitSettings value) {
            limits = value;
            return this;
        }

        public Builder commitBillBeforeAnswer(boolean value) {
            commitBillBeforeAnswer = value;
            return this;
        }

        public Builder redis(RedisSettings value) {
            redis = java.util.Objects.requireNonNull(value, "redis");
            return this;
        }

        /** Whether a model nobody priced (configuration or catalog) is refused rather than served for nothing. */
        public Builder responseCache(ResponseCacheSettings value) {
            responseCache = value;
            return this;
        }

        public Builder requirePrices(boolean value) {
            requirePrices = value;
            return this;
        }

        public Builder retention(RetentionSettings value) {
            retention = java.util.Objects.requireNonNull(value, "retention");
            return this;
        }

        public Builder batches(io.sluice.engine.batch.BatchSettings value) {
            batches = java.util.Objects.requireNonNull(value, "batches");
            return this;
        }

        public Builder log(io.sluice.app.logging.LogSettings value) {
            log = java.util.Objects.requireNonNull(value, "log");
            return this;
        }

        public GatewaySettings build() {
            return new GatewaySettings(server, storage, providers, models, passthroughProvider, fallbackEncoding, context, cache, summary,
                    semantic, endpoints, modelEndpoints, sla, startSimulator, limits, commitBillBeforeAnswer, redis, retention, requirePrices, responseCache, batches, log);
        }
    }
}
