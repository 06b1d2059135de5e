package io.sluice.domain;

import java.util.List;

/**
 * The answer to an embeddings call: one vector per input, in input order (empty when the upstream sent them base64
 * encoded and only its {@code wire} holds them), the tokens it used ({@code promptTokens}), and the upstream's own
 * encoding of the answer for a client of the same API ({@link UpstreamWire}), or null. Immutable.
 */
public record EmbeddingResponse(String model, List<float[]> vectors, Usage usage, UpstreamWire wire, String upstreamRequestId) {
    public EmbeddingResponse {
        Require.nonBlank(model, "model");
        vectors = vectors == null ? List.of() : List.copyOf(vectors);
        Require.nonNull(usage, "usage");
    }

    public EmbeddingResponse withModel(String servedModel) {
        return new EmbeddingResponse(servedModel, vectors, usage, wire, upstreamRequestId);
    }

    /** The same answer with the usage it was billed for: the gateway's own count when the upstream reported none. */
    public EmbeddingResponse withUsage(Usage billed) {
        return new EmbeddingResponse(model, vectors, billed, wire, upstreamRequestId);
    }

    public EmbeddingResponse withUpstreamRequestId(String value) {
        return new EmbeddingResponse(model, vectors, usage, wire, value);
    }
}
