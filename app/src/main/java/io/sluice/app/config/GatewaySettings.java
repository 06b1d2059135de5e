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
                              boolean startSimulator, LimitSettings limits, boolean commitBillBeforeAnswer) {
    public GatewaySettings {
        providers = List.copyOf(providers);
        models = List.copyOf(models);
        endpoints = List.copyOf(endpoints);
        modelEndpoints = Map.copyOf(modelEndpoints);
        limits = limits == null ? LimitSettings.NONE : limits;
    }

    /** With every bill committed before its answer. */
    public GatewaySettings(ServerSettings server, StorageSettings storage, List<ProviderSettings> providers, List<ModelSpec> models,
                           Optional<String> passthroughProvider, Encoding fallbackEncoding, ContextDefaults context, CacheSettings cache,
                           SummaryPolicy summary, SemanticSettings semantic, List<EndpointSettings> endpoints,
                           Map<String, List<String>> modelEndpoints, SlaSettings sla, boolean startSimulator, LimitSettings limits) {
        this(server, storage, providers, models, passthroughProvider, fallbackEncoding, context, cache, summary, semantic, endpoints,
                modelEndpoints, sla, startSimulator, limits, true);
    }

    /** Without rate limits. */
    public GatewaySettings(ServerSettings server, StorageSettings storage, List<ProviderSettings> providers, List<ModelSpec> models,
                           Optional<String> passthroughProvider, Encoding fallbackEncoding, ContextDefaults context, CacheSettings cache,
                           SummaryPolicy summary, SemanticSettings semantic, List<EndpointSettings> endpoints,
                           Map<String, List<String>> modelEndpoints, SlaSettings sla, boolean startSimulator) {
        this(server, storage, providers, models, passthroughProvider, fallbackEncoding, context, cache, summary, semantic, endpoints,
                modelEndpoints, sla, startSimulator, LimitSettings.NONE);
    }

    /** The failover settings of a provider: those configured, else weight 1 and its one api-key. */
    public EndpointSettings endpointOf(ProviderSettings provider) {
        return endpoints.stream().filter(e -> e.provider().equals(provider.name())).findFirst()
                .orElseGet(() -> new EndpointSettings(provider.name(), 1, List.of(new EndpointSettings.Key(provider.apiKey(), 0))));
    }

    public GatewaySettings withProviders(List<ProviderSettings> value) {
        return new GatewaySettings(server, storage, value, models, passthroughProvider, fallbackEncoding, context, cache, summary, semantic,
                endpoints, modelEndpoints, sla, startSimulator, limits, commitBillBeforeAnswer);
    }
}
