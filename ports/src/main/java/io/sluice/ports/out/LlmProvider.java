package io.sluice.ports.out;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.error.UnsupportedFeatureException;
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

    CompletionStage<ChatResponse> complete(ChatRequest request);

    /**
     * Streams the answer. Signals errors through the publisher; the last chunk carries the usage when the
     * upstream reports one. A publisher accepts one subscriber.
     */
    Flow.Publisher<ChatChunk> stream(ChatRequest request);

    /** Embeds texts with the given model; providers without embeddings throw {@link UnsupportedFeatureException}. */
    default CompletionStage<List<float[]>> embed(String model, List<String> texts) {
        throw new UnsupportedFeatureException("Provider '" + name() + "' does not support embeddings");
    }

    @Override
    default void close() {}
}
