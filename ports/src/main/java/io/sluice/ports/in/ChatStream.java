package io.sluice.ports.in;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ConversationId;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A streamed call. {@code chunks} may be subscribed to once. An error signalled before the first chunk means
 * nothing was sent to the client yet (the server may still answer with an HTTP error); an error after it means
 * the answer was cut. The last chunk before completion carries the usage. Completion is signalled only once the
 * turn is stored. {@code servedBy} completes before the first chunk is signalled; {@code cost} (US dollars, as billed)
 * completes before completion or a cut is signalled. {@code cache}: whether the response cache answered it (a hit is
 * replayed as a stream). {@code rateLimit}: as {@link ChatResult#rateLimit()}.
 */
public record ChatStream(Optional<ConversationId> conversationId, Flow.Publisher<ChatChunk> chunks, CompletionStage<ServedBy> servedBy,
                         CompletionStage<java.math.BigDecimal> cost, CacheStatus cache, io.sluice.domain.limits.LimitDecision rateLimit) {
    public ChatStream {
        cache = cache == null ? CacheStatus.BYPASS : cache;
    }

    public ChatStream(Optional<ConversationId> conversationId, Flow.Publisher<ChatChunk> chunks, CompletionStage<ServedBy> servedBy,
                      CompletionStage<java.math.BigDecimal> cost, CacheStatus cache) {
        this(conversationId, chunks, servedBy, cost, cache, null);
    }

    public ChatStream(Optional<ConversationId> conversationId, Flow.Publisher<ChatChunk> chunks, CompletionStage<ServedBy> servedBy,
                      CompletionStage<java.math.BigDecimal> cost) {
        this(conversationId, chunks, servedBy, cost, CacheStatus.BYPASS);
    }
}
