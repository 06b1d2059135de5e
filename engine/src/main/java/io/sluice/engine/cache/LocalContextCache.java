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
import java.util.concurrent.Executor;

/**
 * {@link ContextCache} in this process's memory (Caffeine), for a single gateway. With several replicas use the Redis
 * cache: a local cache cannot see another replica's writes. Versions are checked atomically per conversation.
 * Thread-safe.
 */
public final class LocalContextCache implements ContextCache {
    /**
     * What the cache may hold in all, in estimated bytes of heap ({@link CachedConversation#estimatedBytes}): about
     * 250,000 messages of a sentence or two by that estimate, beside the 10,000 open streams a 768 MB heap holds
     * (docs/deployment.md).
     */
    public static final long DEFAULT_MAX_BYTES = 128L << 20;
    /** What a version marker without its data weighs: the slot, the key and the cache's own nodes. */
    private static final int MARKER_BYTES = 256;
    /** The share of the whole bound one entry may take: a larger one would push out many others to be kept. */
    private static final int LARGEST_ENTRY_SHARE = 16;

    /** A version, with its data, or without it: a marker that this version exists. {@code weight}: its estimated bytes. */
    private record Slot(long seq, CachedConversation entry, int weight) {}

    private final Cache<ConversationId, Slot> cache;
    private final long largestEntry;

    /**
     * Entries expire {@code ttl} after their last write; the least used go first once all together pass {@code maxBytes}
     * of estimated heap. An entry over a sixteenth of that is kept as a marker of its version only, so that an older
     * entry cannot take its place and the next read goes to the store.
     */
    public LocalContextCache(Duration ttl, long maxBytes) {
        this(ttl, maxBytes, null);
    }

    /** As above, evicting on {@code maintenance} (the caller's thread when {@code Runnable::run}; Caffeine's default when null). */
    LocalContextCache(Duration ttl, long maxBytes, Executor maintenance) {
        Caffeine<ConversationId, Slot> builder = Caffeine.newBuilder().expireAfterWrite(ttl).maximumWeight(maxBytes)
                .weigher((ConversationId id, Slot slot) -> slot.weight());
        this.cache = (maintenance == null ? builder : builder.executor(maintenance)).build();
        this.largestEntry = maxBytes / LARGEST_ENTRY_SHARE;
    }

    /** The slot of {@code entry}'s version: with its data, or a marker when the entry is too large to keep. */
    private Slot slot(CachedConversation entry) {
        long bytes = entry.estimatedBytes();
        return bytes > largestEntry ? marker(entry.lastSeq()) : new Slot(entry.lastSeq(), entry, (int) Math.min(Integer.MAX_VALUE, bytes));
    }

    private static Slot marker(long seq) {
        return new Slot(seq, null, MARKER_BYTES);
    }

    /** The estimated bytes held now, after pending evictions. */
    long weightedSize() {
        cache.cleanUp();
        return cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    @Override
    public CompletionStage<Optional<CachedConversation>> get(ConversationId id) {
        Slot slot = cache.getIfPresent(id);
        return CompletableFuture.completedFuture(slot == null ? Optional.empty() : Optional.ofNullable(slot.entry()));
    }

    @Override
    public CompletionStage<Void> fill(CachedConversation entry) {
        Slot filled = slot(entry); // weighed before the map's lock: it walks every message
        cache.asMap().compute(entry.conversation().id(), (id, current) ->
                current == null || current.seq() < entry.lastSeq() || (current.seq() == entry.lastSeq() && current.entry() == null)
                        ? filled : current);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> advance(long expectedLastSeq, CachedConversation next) {
        Slot advanced = slot(next);
        cache.asMap().compute(next.conversation().id(), (id, current) -> {
            if (current != null && current.entry() != null && current.seq() == expectedLastSeq) return advanced;
            return current == null || current.seq() < next.lastSeq() ? marker(next.lastSeq()) : current;
        });
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> invalidate(ConversationId id) {
        cache.invalidate(id);
        return CompletableFuture.completedFuture(null);
    }
}
