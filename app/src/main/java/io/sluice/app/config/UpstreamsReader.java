package io.sluice.app.config;

import static io.sluice.app.config.ConfigProblem.check;

import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.ports.out.ProviderSettings;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sluice.providers} and {@code sluice.passthrough-provider}, with the OpenAI SDKs' own variables: with
 * {@code OPENAI_API_KEY} set, unconfigured models go to OpenAI (or {@code OPENAI_BASE_URL}); with no upstream at all,
 * the simulator is the upstream, with its models.
 */
final class UpstreamsReader {
    private UpstreamsReader() {}

    /** The upstreams: providers, the passthrough, whether the simulator runs (and its models), and each provider's failover keys. */
    record Upstreams(List<ProviderSettings> providers, Optional<String> passthrough, boolean startSimulator, List<ModelSpec> simulatorModels,
                     List<EndpointSettings> endpoints) {
        /** Every provider a model may name: those configured, and the simulator when it runs. */
        List<String> names() {
            List<String> names = new ArrayList<>(providers.stream().map(ProviderSettings::name).toList());
            if (startSimulator) names.add(ConfigLoader.SIMULATOR_PROVIDER);
            return names;
        }
    }

    static Upstreams read(SluiceConfig c, Map<String, String> env, Encoding fallback) {
        List<ProviderSettings> providers = new ArrayList<>();
        c.providers().forEach((name, p) -> {
            ProviderSettings.HttpVersion version = ProviderSettings.HttpVersion.parse(p.httpVersion()).orElseThrow(() -> new ConfigProblem(
                    "sluice.providers." + name + ".http-version", "unknown HTTP version '" + p.httpVersion() + "'; use 1.1 or 2"));
            providers.add(check("sluice.providers." + name, () -> new ProviderSettings(name, p.type(),
                    p.baseUrl(), p.apiKey().orElse(null), p.timeout(), p.maxConnections(), p.options(), version)));
        });

        Optional<String> passthrough = c.passthroughProvider();
        String openAiKey = env.get("OPENAI_API_KEY");
        if (openAiKey != null && !openAiKey.isBlank() && !c.providers().containsKey(ConfigLoader.OPENAI_PROVIDER)) {
            providers.add(new ProviderSettings(ConfigLoader.OPENAI_PROVIDER, "openai", env.getOrDefault("OPENAI_BASE_URL",
                    ConfigLoader.OPENAI_DEFAULT_BASE_URL), openAiKey, null, ProviderSettings.DEFAULT_MAX_CONNECTIONS, Map.of()));
            if (passthrough.isEmpty()) passthrough = Optional.of(ConfigLoader.OPENAI_PROVIDER);
        }
        boolean startSimulator = providers.isEmpty();
        List<ModelSpec> simulatorModels = new ArrayList<>();
        if (startSimulator) {
            passthrough = Optional.of(ConfigLoader.SIMULATOR_PROVIDER);
            for (String m : SimulatorConfig.DEFAULT_MODELS) {
                if (!m.startsWith("text-embedding")) {
                    // priced as the real model (the catalog), so that a first run shows what such calls would cost
                    var known = io.sluice.engine.models.ModelCatalog.builtIn().find(m);
                    simulatorModels.add(ModelsReader.spec(m, ConfigLoader.SIMULATOR_PROVIDER, null,
                            known.map(e -> e.contextWindow()).orElse(ModelSpec.DEFAULT_CONTEXT_WINDOW), null,
                            known.map(e -> e.prices()).orElse(Prices.FREE), fallback));
                }
            }
        }
        List<EndpointSettings> endpoints = new ArrayList<>();
        c.providers().forEach((name, p) -> endpoints.add(check("sluice.providers." + name, () -> new EndpointSettings(name, p.weight(),
                p.keys().filter(k -> !k.isEmpty()).map(keys -> keys.stream().map(k -> new EndpointSettings.Key(k.key(), k.rpm(), k.tpm())).toList())
                        .orElse(List.of(new EndpointSettings.Key(p.apiKey().orElse(null), 0)))))));
        Upstreams upstreams = new Upstreams(providers, passthrough, startSimulator, simulatorModels, endpoints);
        List<String> names = upstreams.names();
        upstreams.passthrough().ifPresent(name -> {
            if (!names.contains(name)) {
                throw new ConfigProblem("sluice.passthrough-provider", "names provider '" + name + "', which is not configured; configured: " + names);
            }
        });
        return upstreams;
    }
}
