package io.sluice.ports.out;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.error.UnsupportedFeatureException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One upstream endpoint. The request's model is already the upstream's name for it. Implementations are
 * thread-safe and map every failure to the gateway's exception hierarchy, in one place.
 */
public interface LlmProvider extends AutoCloseable {
    /** The configured name of this provider instance (not its type). */
    String name();

    /**
     * The GenAI provider it talks to, as OpenTelemetry's {@code gen_ai.provider.name} names it ({@code openai},
     * {@code anthropic}, {@code gcp.gemini}, ...); {@code _OTHER} when none of those.
     */
    default String system() {
        return "_OTHER";
    }

    CompletionStage<ChatResponse> complete(ChatRequest request);

    /**
     * What the upstream said, in its last answer for {@code upstreamModel} (upstreams limit each model apart), is left
     * of this provider's key's limits; {@link UpstreamQuota#UNKNOWN} for providers that do not read it. The gateway rests
     * a key that is spent for a model until its reset.
     */
    default UpstreamQuota quota(String upstreamModel) {
        return UpstreamQuota.UNKNOWN;
    }

    /**
     * This upstream's own batch API, which runs many requests within a day at a lower price; empty for providers that
     * have none (the gateway then runs a batch's requests itself, paced).
     */
    default java.util.Optional<UpstreamBatches> batches() {
        return java.util.Optional.empty();
    }

    /** How this upstream counts an image in a prompt; OpenAI's rule unless the provider says otherwise. */
    default io.sluice.domain.MediaRule mediaRule() {
        return io.sluice.domain.MediaRule.OPENAI_TILES;
    }

    /**
     * As {@link #complete(ChatRequest)}, giving up when no connection to the upstream is had within
     * {@code connectTimeout} (the call's SLA tier sets it). Providers that pool connections should override this.
     */
    default CompletionStage<ChatResponse> complete(ChatRequest request, Duration connectTimeout) {
        return complete(request);
    }

    /**
     * Streams the answer. Signals errors through the publisher; the last chunk carries the usage when the
     * upstream reports one. A publisher accepts one subscriber.
     */
    Flow.Publisher<ChatChunk> stream(ChatRequest request);

    /** As {@link #stream(ChatRequest)}, with the connect timeout of {@link #complete(ChatRequest, Duration)}. */
    default Flow.Publisher<ChatChunk> stream(ChatRequest request, Duration connectTimeout) {
        return stream(request);
    }

    /** Embeds texts with the given model; providers without embeddings throw {@link UnsupportedFeatureException}. */
    default CompletionStage<List<float[]>> embed(String model, List<String> texts) {
        throw new UnsupportedFeatureException("Provider '" + name() + "' does not support embeddings");
    }

    /**
     * An embeddings call as OpenAI's API makes it, with its usage; the request's model is the upstream's name for it.
     * Providers without embeddings throw {@link UnsupportedFeatureException} naming themselves and {@code model}.
     */
    default CompletionStage<io.sluice.domain.EmbeddingResponse> embeddings(io.sluice.domain.EmbeddingRequest request, Duration connectTimeout) {
        throw new UnsupportedFeatureException("Embeddings are not supported by provider '" + name() + "'", "model");
    }

    @Override
    default void close() {}
}
