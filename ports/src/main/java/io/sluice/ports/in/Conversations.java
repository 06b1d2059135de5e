package io.sluice.ports.in;

import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.ConversationStats;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.ContextStrategy;
import io.sluice.ports.out.Page;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The conversations use case. Everything is scoped to the caller's owner: another owner's conversation, or a deleted
 * one, is not found. Thread-safe; failures complete the stage with a {@link io.sluice.domain.error.SluiceException}.
 */
public interface Conversations {
    int MAX_PAGE_SIZE = 100;
    int DEFAULT_PAGE_SIZE = 20;

    /** What a caller may set when creating a conversation; every field may be null. */
    record NewConversation(String user, Map<String, String> metadata, String systemPrompt, ContextStrategy contextStrategy) {}

    /** A conversation and its size. */
    record ConversationView(Conversation conversation, ConversationStats stats) {}

    CompletionStage<ConversationView> create(Caller caller, NewConversation request);

    CompletionStage<ConversationView> get(Caller caller, ConversationId id);

    /** Newest first; {@code user} may be null for all of the owner's; {@code after} is the last id of the previous page, or null. */
    CompletionStage<Page<Conversation>> list(Caller caller, String user, ConversationId after, int limit);

    /** Messages in seq order ({@code ascending}) or newest first; {@code afterSeq} is the last seq of the previous page, or 0. */
    CompletionStage<Page<StoredMessage>> messages(Caller caller, ConversationId id, long afterSeq, int limit, boolean ascending);

    /** Replaces the conversation's metadata. */
    CompletionStage<ConversationView> update(Caller caller, ConversationId id, Map<String, String> metadata);

    /** Appends items (messages) to the conversation, counted in its default encoding; the next turn sends them as history. */
    CompletionStage<java.util.List<StoredMessage>> addItems(Caller caller, ConversationId id, java.util.List<io.sluice.domain.ChatMessage> items);

    /** One item (message) by its seq; an {@link io.sluice.domain.error.ItemNotFoundException} when there is none. */
    CompletionStage<StoredMessage> item(Caller caller, ConversationId id, long seq);

    /**
     * Deletes items (messages) by seq, and with each the other side of its tool calls (an assistant's call and the
     * results that answer it leave together, or the history would be refused upstream). Returns every seq deleted; an
     * {@link io.sluice.domain.error.ItemNotFoundException} when none of {@code seqs} is there.
     */
    CompletionStage<java.util.List<Long>> deleteItems(Caller caller, ConversationId id, java.util.Collection<Long> seqs);

    /** Soft delete: the conversation becomes inactive and disappears from every read; its rows stay for audit. */
    CompletionStage<Void> delete(Caller caller, ConversationId id);
}
