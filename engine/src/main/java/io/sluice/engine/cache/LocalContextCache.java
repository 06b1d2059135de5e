package io.sluice.engine.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sluice.domain.ConversationId;
import io.sluice.ports.out.CachedConversation;
import io.sluice.ports.out.ContextCache;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link ContextCache} in this process's memory (Caffeine), for a single gateway. With several replicas use the Redis
 * cache: a local cache cannot see another replica's writes. Versions are checked atomically per conversation.
 * Thread-safe.
 */
public final class LocalContextCache implements ContextCache {
    /** About 80 MB of text: what the cache may hold in all, weighed in tokens. */
    public static final long DEFAULT_MAX_TOTAL_TOKENS = 20_000_000;

    /** A version, with its data, or without it: a marker that this version exists. */
    private record Slot(long seq, CachedConversation entry) {}

    private final Cache<ConversationId, Slot> cache;

    /** Entries expire {@code ttl} after their last write; the least used go first once all together pass {@code maxTotalTokens}. */
    public LocalContextCache(Duration ttl, long maxTotalTokens) {
        this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumWeight(maxTotalTokens)
                .weigher((ConversationId id, Slot slot) -> slot.entry() == null ? 1 : (int) Math.min(Integer.MAX_VALUE, 1 + slot.entry().tailTokens()))
                .build();
    }

    @Override
    public CompletionStage<Optional<CachedConversation>> get(ConversationId id) {
        Slot slot = cache.getIfPresent(id);
        return CompletableFuture.completedFuture(slot == null ? Optional.empty() : Optional.ofNullable(slot.entry()));
    }

    @Override
    public CompletionStage<Void> fill(CachedConversation entry) {
        cache.asMap().compute(entry.conversation().id(), (id, current) ->
                current == null || current.seq() < entry.lastSeq() || (current.seq() == entry.lastSeq() && current.entry() == null)
                        ? new Slot(entry.lastSeq(), entry) : current);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> advance(long expectedLastSeq, CachedConversation next) {
        cache.asMap().compute(next.conversation().id(), (id, current) -> {
            if (current != null && current.entry() != null && current.seq() == expectedLastSeq) return new Slot(next.lastSeq(), next);
            return current == null || current.seq() < next.lastSeq() ? new Slot(next.lastSeq(), null) : current;
        });
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> invalidate(ConversationId id) {
        cache.invalidate(id);
        return CompletableFuture.completedFuture(null);
    }
}
