package io.sluice.domain;

import java.util.List;
import java.util.Map;

/**
 * An embeddings call, as OpenAI's {@code /v1/embeddings} takes it: the model, and the input as texts or as token arrays
 * (one of the two is empty). {@code dimensions} and {@code encodingFormat} ({@code float} or {@code base64}) may be null
 * for the upstream's default; fields the gateway does not read are kept as raw JSON ({@code extraJson}) for an upstream
 * of the same API. Immutable.
 */
public record EmbeddingRequest(String model, List<String> texts, List<List<Integer>> tokenArrays, Integer dimensions, String encodingFormat,
                               String user, Map<String, String> extraJson) {
    /** OpenAI's limit on the inputs of one call. */
    public static final int MAX_INPUTS = 2048;

    public EmbeddingRequest {
        Require.nonBlank(model, "model");
        texts = texts == null ? List.of() : List.copyOf(texts);
        tokenArrays = tokenArrays == null ? List.of() : tokenArrays.stream().map(List::copyOf).toList();
        if (texts.isEmpty() == tokenArrays.isEmpty()) throw new IllegalArgumentException("'input' must hold texts or token arrays");
        extraJson = extraJson == null ? Map.of() : Map.copyOf(extraJson);
    }

    public int inputCount() {
        return texts.isEmpty() ? tokenArrays.size() : texts.size();
    }

    /** The same request for the upstream's name of the model. */
    public EmbeddingRequest withModel(String upstreamName) {
        return new EmbeddingRequest(upstreamName, texts, tokenArrays, dimensions, encodingFormat, user, extraJson);
    }
}
