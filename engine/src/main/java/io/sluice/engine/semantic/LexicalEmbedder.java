package io.sluice.engine.semantic;

import io.sluice.domain.context.LexicalVectors;
import io.sluice.ports.out.Embedder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The default embedder: {@link LexicalVectors}, in process, no model and no network. Thread-safe. */
public final class LexicalEmbedder implements Embedder {
    private final int dimensions;

    public LexicalEmbedder(int dimensions) {
        this.dimensions = dimensions;
    }

    @Override
    public String id() {
        return "lexical-" + dimensions;
    }

    @Override
    public boolean lexical() {
        return true;
    }

    @Override
    public CompletionStage<List<float[]>> embed(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (String t : texts) vectors.add(LexicalVectors.embed(t, dimensions));
        return CompletableFuture.completedFuture(vectors);
    }
}
