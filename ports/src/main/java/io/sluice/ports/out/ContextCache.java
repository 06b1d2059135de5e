package io.sluice.ports.out;

import io.sluice.domain.ConversationId;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A cache of conversation windows, so that a warm conversation's next turn is built without a database read.
 * Entries are versioned by the conversation's last seq, which makes the cache safe when several gateways (or
 * concurrent turns) write the same conversation: an entry only ever moves forward, and a writer that cannot prove
 * the entry it extends is current leaves a marker that keeps older data out. Entries expire after the configured TTL.
 * Thread-safe.
 */
public interface ContextCache {
    /** The entry for a conversation, if one is cached. */
    CompletionStage<Optional<CachedConversation>> get(ConversationId id);

    /** Stores a freshly read entry, unless the cache already knows of a version at least as new. */
    CompletionStage<Void> fill(CachedConversation entry);

    /**
     * Replaces the entry at version {@code expectedLastSeq} with {@code next}. When the cache holds anything else (no
     * entry, or another version), it instead records that {@code next.lastSeq()} exists, so that no older
     * {@link #fill} can succeed, and the next read misses.
     */
    CompletionStage<Void> advance(long expectedLastSeq, CachedConversation next);

    /** Forgets a conversation (it was deleted or changed in a way the cache cannot follow). */
    CompletionStage<Void> invalidate(ConversationId id);
}
