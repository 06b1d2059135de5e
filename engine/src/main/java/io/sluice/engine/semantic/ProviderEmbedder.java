package io.sluice.engine.semantic;

import io.sluice.engine.models.ModelRegistry;
import io.sluice.ports.out.Embedder;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Embeddings from a provider's embedding model ({@code /v1/embeddings}), resolved by name like any model. */
public final class ProviderEmbedder implements Embedder {
    private final ModelRegistry.Target route;

    public ProviderEmbedder(ModelRegistry registry, String model) {
        this.route = registry.resolve(model);
    }

    @Override
    public String id() {
        return "provider:" + route.spec().name();
    }

    @Override
    public boolean lexical() {
        return false;
    }

    @Override
    public CompletionStage<List<float[]>> embed(List<String> texts) {
        return route.provider().embed(route.spec().upstreamName(), texts);
    }
}
