package io.sluice.ports.out;

import io.sluice.domain.Conversation;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.domain.ConversationId;
import io.sluice.domain.ConversationStats;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.context.Summary;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
     * conversation first if it does not exist, and records the turn's usage in the ledger in the same transaction
     * (an entry already there is kept once). Concurrent appends to one conversation never share a seq.
     */
    CompletionStage<List<StoredMessage>> append(Conversation conversation, List<NewMessage> messages, List<UsageEntry> usage);

    /** One turn to append: its conversation, its messages and its bill. */
    record Append(Conversation conversation, List<NewMessage> messages, List<UsageEntry> usage) {
        public Append {
            messages = List.copyOf(messages);
            usage = List.copyOf(usage);
        }
    }

    /**
     * Appends several turns, of any conversations, in one transaction: all of them or none, each as
     * {@link #append(Conversation, List, List)} would, turns of one conversation in the order given. The stored
     * messages of each turn, in the order given. A store without transactions across conversations takes one turn at
     * a time and refuses more (having written nothing), so that its caller writes them one by one.
     */
    default CompletionStage<List<List<StoredMessage>>> appendAll(List<Append> turns) {
        if (turns.size() != 1) {
            return java.util.concurrent.CompletableFuture.failedFuture(new UnsupportedOperationException("this store appends one turn at a time"));
        }
        Append only = turns.getFirst();
        return append(only.conversation(), only.messages(), only.usage()).thenApply(List::of);
    }

    /** As {@link #append(Conversation, List, List)} with no usage to record. */
    default CompletionStage<List<StoredMessage>> append(Conversation conversation, List<NewMessage> messages) {
        return append(conversation, messages, List.of());
    }

    /**
     * Saves the rolling summary {@code next}, made from {@code previous} (null when there was none) and the
     * {@code folded} messages after seq {@code afterSeq} up to {@code next.throughSeq()}. It is saved only while the
     * conversation's summary is still {@code previous} and those messages are all still there: a summary made while
     * another replaced it, or while one of its messages was deleted, is dropped, so that it never retells a deleted
     * message. Returns whether it was saved.
     */
    CompletionStage<Boolean> saveSummary(ConversationId id, Summary previous, Summary next, long afterSeq, int folded);

    /**
     * User and assistant messages with text, older than {@code beforeSeq}, that have no vector of {@code embedder} yet,
     * oldest first, at most {@code limit}.
     */
    CompletionStage<List<StoredMessage>> unembedded(ConversationId id, String embedder, long beforeSeq, int limit);

    /** Stores vectors by message seq; a message keeps the first vector stored for it. */
    CompletionStage<Void> saveVectors(ConversationId id, String embedder, Map<Long, float[]> vectors);

    /** The vectors of {@code embedder} for messages older than {@code beforeSeq}, by seq. */
    CompletionStage<Map<Long, float[]>> vectors(ConversationId id, String embedder, long beforeSeq);

    /** The messages with these seqs, in seq order. */
    CompletionStage<List<StoredMessage>> messagesAt(ConversationId id, Collection<Long> seqs);

    /** Creates an empty conversation (no messages yet). */
    CompletionStage<Void> create(Conversation conversation);

    /** The size of a conversation; zeros when it does not exist. */
    CompletionStage<ConversationStats> stats(ConversationId id);

    /** An owner's active conversations, newest first, optionally of one end user; {@code after} is a cursor or null. */
    CompletionStage<Page<Conversation>> list(String owner, String user, ConversationId after, int limit);

    /** A page of messages after (or, descending, before) {@code afterSeq}; 0 starts at the first (or last). */
    CompletionStage<Page<StoredMessage>> page(ConversationId id, long afterSeq, int limit, boolean ascending);

    /** Marks an owner's conversation inactive; false when there was no such active conversation. */
    CompletionStage<Boolean> deactivate(ConversationId id, String owner);

    /** Completes normally when the store answers a trivial query. */
    CompletionStage<Void> ping();

    /** Replaces an active conversation's metadata; false when the owner has no such active conversation. */
    CompletionStage<Boolean> updateMetadata(ConversationId id, String owner, Map<String, String> metadata);

    /**
     * Deletes messages by seq in one transaction, under the conversation's lock so that no append interleaves: the
     * running token totals of later messages shrink by theirs, a summary that covered one is dropped (it is rebuilt
     * from what remains), their vectors go with them, and seqs are never handed out again.
     */
    CompletionStage<Deletion> deleteMessages(ConversationId id, Collection<Long> seqs);

    /**
     * What {@link #deleteMessages} did: the seqs it deleted, and the conversation's last seq after it, which a delete
     * moves on by one (no message has it) so that whatever was read or cached before it is older than what follows.
     */
    record Deletion(List<Long> seqs, long lastSeq) {
        public Deletion {
            seqs = List.copyOf(seqs);
        }
    }
}
