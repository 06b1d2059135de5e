package io.sluice.engine.cache;

import io.sluice.domain.ConversationId;
import io.sluice.ports.out.CachedConversation;
import io.sluice.ports.out.ContextCache;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** No cache: every turn reads its window from the store ({@code sluice.context.cache.type: none}). */
public final class NoContextCache implements ContextCache {
    @Override
    public CompletionStage<Optional<CachedConversation>> get(ConversationId id) {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<Void> fill(CachedConversation entry) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> advance(long expectedLastSeq, CachedConversation next) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> invalidate(ConversationId id) {
        return CompletableFuture.completedFuture(null);
    }
}
