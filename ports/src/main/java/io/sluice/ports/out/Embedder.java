package io.sluice.ports.out;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Turns texts into vectors for relevance ranking. Thread-safe. */
public interface Embedder {
    /** Names the vector space: vectors of different embedders are stored apart and never compared. */
    String id();

    /** Whether vectors are lexical (term counts), so that ranking should weight rare terms up. */
    boolean lexical();

    /** One vector per text, in order. */
    CompletionStage<List<float[]>> embed(List<String> texts);
}
