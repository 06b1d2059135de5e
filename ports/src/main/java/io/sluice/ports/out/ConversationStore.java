package io.sluice.ports.out;

import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.StoredMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Stores conversations and their messages. Thread-safe; every method is non-blocking for its caller (blocking
 * drivers run on the store's own executor).
 */
public interface ConversationStore {
    /** The active conversation with this id that belongs to {@code owner}; empty otherwise. */
    CompletionStage<Optional<Conversation>> find(ConversationId id, String owner);

    /** All messages of a conversation in seq order. */
    CompletionStage<List<StoredMessage>> messages(ConversationId id);

    /**
     * The leading system prompt and the newest messages after it that together hold at most {@code maxMessages}
     * messages and {@code maxTokens} tokens (the system prompt not counted). Reads only those rows, however long the
     * conversation is.
     */
    CompletionStage<ConversationWindow> window(ConversationId id, int maxMessages, long maxTokens);

    /**
     * Appends messages with consecutive seqs after the current last one, in one transaction, creating the
     * conversation first if it does not exist. Concurrent appends to one conversation never share a seq.
     */
    CompletionStage<List<StoredMessage>> append(Conversation conversation, List<NewMessage> messages);

    /** Completes normally when the store answers a trivial query. */
    CompletionStage<Void> ping();
}
