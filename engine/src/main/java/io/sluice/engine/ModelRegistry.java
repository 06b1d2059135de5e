package io.sluice.engine;

import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.domain.error.ModelNotFoundException;
import io.sluice.ports.in.ModelDirectory;
import io.sluice.ports.out.LlmProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which provider serves which model. Configured models are served by their own provider; any other name goes to the
 * pass-through provider when there is one (the upstream then decides whether the model exists), else is not found.
 * Immutable and thread-safe.
 */
public final class ModelRegistry implements ModelDirectory {
    /** A model and the provider instance that serves it. */
    public record Route(ModelSpec spec, LlmProvider provider) {}

    private final Map<String, LlmProvider> providers;
    private final Map<String, ModelSpec> models;
    private final LlmProvider passthrough;
    private final Encoding fallbackEncoding;

    /**
     * @param passthroughProvider the provider name that serves unconfigured models, or empty
     * @param fallbackEncoding    the encoding for models that are not OpenAI's: an approximation of their tokenizer
     */
    public ModelRegistry(Map<String, LlmProvider> providers, List<ModelSpec> models, Optional<String> passthroughProvider,
                         Encoding fallbackEncoding) {
        this.providers = Map.copyOf(providers);
        Map<String, ModelSpec> byName = new LinkedHashMap<>();
        for (ModelSpec spec : models) {
            if (!this.providers.containsKey(spec.provider())) {
                throw new IllegalArgumentException("model '" + spec.name() + "' names unknown provider '" + spec.provider() + "'");
            }
            byName.put(spec.name(), spec);
        }
        this.models = byName;
        this.passthrough = passthroughProvider.map(name -> {
            LlmProvider p = this.providers.get(name);
            if (p == null) throw new IllegalArgumentException("pass-through provider '" + name + "' is not configured");
            return p;
        }).orElse(null);
        this.fallbackEncoding = fallbackEncoding;
    }

    public Route resolve(String model) {
        ModelSpec spec = models.get(model);
        if (spec != null) return new Route(spec, providers.get(spec.provider()));
        if (passthrough == null) throw new ModelNotFoundException(model);
        Encoding encoding = Encoding.forOpenAiModel(model).orElse(fallbackEncoding);
        return new Route(new ModelSpec(model, passthrough.name(), model, ModelSpec.DEFAULT_CONTEXT_WINDOW, encoding, Prices.FREE),
                passthrough);
    }

    @Override
    public List<ModelSpec> models() {
        return List.copyOf(models.values());
    }
}
