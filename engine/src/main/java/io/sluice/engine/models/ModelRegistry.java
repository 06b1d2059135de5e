package io.sluice.engine.models;

import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.domain.error.ModelNotFoundException;
import io.sluice.ports.in.ModelDirectory;
import io.sluice.engine.sla.Endpoint;
import io.sluice.engine.sla.UpstreamKey;
import io.sluice.ports.out.LlmProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which endpoints serve which model. A configured model is served by its endpoints (its provider, or the list given
 * for it); any other name goes to the pass-through endpoint when there is one (the upstream then decides whether the
 * model exists), else is not found. Immutable and thread-safe.
 */
public final class ModelRegistry implements ModelDirectory {
    /** A model and the endpoints that serve it, the first being its own provider. */
    public record Target(ModelSpec spec, List<Endpoint> endpoints) {
        public Target {
            endpoints = List.copyOf(endpoints);
        }

        /** The first key of the first endpoint: for calls that need no failover (embeddings). */
        public LlmProvider provider() {
            return endpoints.getFirst().keys().getFirst().provider();
        }
    }

    private final Map<String, Endpoint> endpoints;
    private final Map<String, ModelSpec> models;
    private final Map<String, List<Endpoint>> modelEndpoints = new LinkedHashMap<>();
    private final Endpoint passthrough;
    private final Encoding fallbackEncoding;

    /** One endpoint with one key per provider: the registry of a gateway without failover. */
    public ModelRegistry(Map<String, LlmProvider> providers, List<ModelSpec> models, Optional<String> passthroughProvider,
                         Encoding fallbackEncoding) {
        this(singleKeyEndpoints(providers), models, Map.of(), passthroughProvider, fallbackEncoding);
    }

    private static Map<String, Endpoint> singleKeyEndpoints(Map<String, LlmProvider> providers) {
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        providers.forEach((name, p) -> endpoints.put(name, new Endpoint(name, 1, List.of(new UpstreamKey(name, p, 0)))));
        return endpoints;
    }

    /**
     * @param passthroughProvider the provider name that serves unconfigured models, or empty
     * @param fallbackEncoding    the encoding for models that are not OpenAI's: an approximation of their tokenizer
     */
    /**
     * @param extraEndpoints per model, the names of further endpoints that serve it besides its own provider
     */
    public ModelRegistry(Map<String, Endpoint> endpoints, List<ModelSpec> models, Map<String, List<String>> extraEndpoints,
                         Optional<String> passthroughProvider, Encoding fallbackEncoding) {
        this(endpoints, models, extraEndpoints, passthroughProvider, fallbackEncoding, Pricing.DEFAULT);
    }

    /**
     * How pass-through models are priced: from {@code catalog}, and when it has no price for one, either refused
     * ({@code requireKnown}) or served for nothing, with a warning the first time.
     */
    public record Pricing(ModelCatalog catalog, boolean requireKnown) {
        public static final Pricing DEFAULT = new Pricing(ModelCatalog.builtIn(), false);
    }

    /** How many unpriced pass-through model names are remembered as warned about; a flood of made-up names stays bounded. */
    private static final int MAX_WARNED = 1_000;
    private static final System.Logger LOG = System.getLogger(ModelRegistry.class.getName());
    private final Pricing pricing;
    private final java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ModelRegistry(Map<String, Endpoint> endpoints, List<ModelSpec> models, Map<String, List<String>> extraEndpoints,
                         Optional<String> passthroughProvider, Encoding fallbackEncoding, Pricing pricing) {
        this.pricing = pricing;
        this.endpoints = Map.copyOf(endpoints);
        Map<String, ModelSpec> byName = new LinkedHashMap<>();
        for (ModelSpec spec : models) {
            List<Endpoint> serving = new ArrayList<>();
            serving.add(endpoint(spec.provider(), "model '" + spec.name() + "'"));
            for (String extra : extraEndpoints.getOrDefault(spec.name(), List.of())) {
                if (!extra.equals(spec.provider())) serving.add(endpoint(extra, "model '" + spec.name() + "'"));
            }
            byName.put(spec.name(), spec);
            modelEndpoints.put(spec.name(), List.copyOf(serving));
        }
        this.models = byName;
        this.passthrough = passthroughProvider.map(name -> endpoint(name, "the pass-through")).orElse(null);
        this.fallbackEncoding = fallbackEncoding;
    }

    /** The provider of the endpoint named {@code name} (its first key's), when one is configured. */
    public Optional<LlmProvider> provider(String name) {
        Endpoint e = endpoints.get(name);
        return e == null ? Optional.empty() : Optional.of(e.keys().getFirst().provider());
    }

    /** What a model costs through its provider's batch API ({@link ModelCatalog#batchPrices}). */
    public io.sluice.domain.Prices batchPrices(ModelSpec spec) {
        return pricing.catalog().batchPrices(spec);
    }

    public Target resolve(String model) {
        ModelSpec spec = models.get(model);
        if (spec != null) return new Target(spec, modelEndpoints.get(model));
        if (passthrough == null) throw new ModelNotFoundException(model);
        Encoding encoding = Encoding.forOpenAiModel(model).orElse(fallbackEncoding);
        Optional<ModelCatalog.Entry> known = pricing.catalog().find(model);
        if (known.isEmpty()) unpriced(model);
        return new Target(new ModelSpec(model, passthrough.name(), model, known.map(ModelCatalog.Entry::contextWindow).orElse(ModelSpec.DEFAULT_CONTEXT_WINDOW),
                encoding, known.map(ModelCatalog.Entry::prices).orElse(Prices.UNKNOWN)), List.of(passthrough));
    }

    /** A pass-through model nobody priced: refused when prices are required, else served for nothing and warned about once. */
    private void unpriced(String model) {
        if (pricing.requireKnown()) {
            throw new io.sluice.domain.error.InvalidRequestException("The model '" + io.sluice.domain.StoredText.clip(model, 64)
                    + "' has no price, and this gateway bills only priced models (sluice.pricing.require)", "model", "model_not_priced");
        }
        if (warned.size() < MAX_WARNED && warned.add(model)) {
            LOG.log(System.Logger.Level.WARNING, "pass-through model '" + io.sluice.domain.StoredText.clip(model, 64) + "' has no price in the"
                    + " catalog or the configuration: its calls are billed nothing and no budget sees them; set sluice.models.<name>.input-price"
                    + " and output-price, or sluice.pricing.require: true to refuse such models");
        }
    }

    private Endpoint endpoint(String name, String user) {
        Endpoint e = endpoints.get(name);
        if (e == null) throw new IllegalArgumentException(user + " names unknown provider '" + name + "'");
        return e;
    }

    /** The endpoints that serve each configured model. */
    public Map<String, List<Endpoint>> servingEndpoints() {
        return java.util.Collections.unmodifiableMap(modelEndpoints);
    }

    @Override
    public List<ModelSpec> models() {
        return List.copyOf(models.values());
    }
}
