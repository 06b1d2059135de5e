package io.sluice.engine;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.Encoding;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.error.ConversationNotFoundException;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.ports.in.Caller;
import io.sluice.ports.in.Conversations;
import io.sluice.ports.out.ContextCache;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.NewMessage;
import io.sluice.ports.out.Page;
import io.sluice.ports.out.TokenCounter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The conversations use case on a {@link ConversationStore}, scoped to the caller's owner. A system prompt given at
 * creation is stored as the conversation's first message, counted in {@code encoding} (the encoding of the model the
 * conversation will most likely use is unknown at that point; the count is refreshed by nothing, so a model with
 * another encoding sees it off by a few tokens). Thread-safe.
 */
public final class ConversationService implements Conversations {
    private final ConversationStore store;
    private final ContextCache cache;
    private final TokenCounter tokens;
    private final Clock clock;
    private final Encoding encoding;
    private final ToolPairs toolPairs;

    public ConversationService(ConversationStore store, ContextCache cache, TokenCounter tokens, Clock clock, Encoding encoding) {
        this.store = store;
        this.cache = cache;
        this.tokens = tokens;
        this.clock = clock;
        this.encoding = encoding;
        this.toolPairs = new ToolPairs(store);
    }

    @Override
    public CompletionStage<ConversationView> create(Caller caller, NewConversation request) {
        Conversation conversation;
        try {
            conversation = new Conversation(ConversationId.random(), caller.owner(), request.user(), clock.instant(), clock.instant(),
                    request.metadata(), true, request.contextStrategy());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), "metadata");
        }
        if (request.systemPrompt() == null || request.systemPrompt().isEmpty()) {
            return store.create(conversation).thenCompose(done -> view(conversation));
        }
        ChatMessage prompt = ChatMessage.system(request.systemPrompt());
        NewMessage stored = new NewMessage(prompt, tokens.countMessage(prompt, encoding), null, Map.of());
        return store.append(conversation, List.of(stored)).thenCompose(done -> view(conversation));
    }

    @Override
    public CompletionStage<ConversationView> get(Caller caller, ConversationId id) {
        return owned(caller, id).thenCompose(this::view);
    }

    @Override
    public CompletionStage<Page<Conversation>> list(Caller caller, String user, ConversationId after, int limit) {
        return store.list(caller.owner(), user, after, checkLimit(limit));
    }

    @Override
    public CompletionStage<Page<StoredMessage>> messages(Caller caller, ConversationId id, long afterSeq, int limit, boolean ascending) {
        int checked = checkLimit(limit);
        return owned(caller, id).thenCompose(c -> store.page(id, afterSeq, checked, ascending));
    }

    @Override
    public CompletionStage<Void> delete(Caller caller, ConversationId id) {
        return store.deactivate(id, caller.owner()).thenCompose(deleted -> {
            if (!deleted) throw new ConversationNotFoundException(id.value());
            return cache.invalidate(id);
        });
    }

    @Override
    public CompletionStage<ConversationView> update(Caller caller, ConversationId id, Map<String, String> metadata) {
        Map<String, String> checked;
        try {
            checked = new Conversation(id, caller.owner(), null, clock.instant(), clock.instant(), metadata, true, null).metadata();
        } catch (IllegalArgumentException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(new InvalidRequestException(e.getMessage(), "metadata"));
        }
        return store.updateMetadata(id, caller.owner(), checked).thenCompose(updated -> {
            if (!updated) throw new ConversationNotFoundException(id.value());
            return cache.invalidate(id); // a cached window holds the conversation, metadata included
        }).thenCompose(done -> get(caller, id));
    }

    @Override
    public CompletionStage<List<StoredMessage>> addItems(Caller caller, ConversationId id, List<ChatMessage> items) {
        return owned(caller, id).thenCompose(conversation -> {
            List<NewMessage> added = items.stream().map(m -> new NewMessage(m, tokens.countMessage(m, encoding), null, Map.of())).toList();
            // the cached window would miss them: it is dropped before they are written, and again after, for a racing fill
            return cache.invalidate(id).thenCompose(done -> store.append(conversation, added))
                    .thenCompose(stored -> cache.invalidate(id).thenApply(done -> stored));
        });
    }

    @Override
    public CompletionStage<StoredMessage> item(Caller caller, ConversationId id, long seq) {
        return owned(caller, id).thenCompose(c -> store.messagesAt(id, List.of(seq))).thenApply(found -> {
            if (found.isEmpty()) throw new io.sluice.domain.error.ItemNotFoundException("msg_" + seq);
            return found.getFirst();
        });
    }

    @Override
    public CompletionStage<List<Long>> deleteItems(Caller caller, ConversationId id, java.util.Collection<Long> seqs) {
        return owned(caller, id).thenCompose(conversation -> store.messagesAt(id, seqs).thenCompose(found -> {
            if (found.isEmpty()) throw new io.sluice.domain.error.ItemNotFoundException("msg_" + seqs.iterator().next());
            return toolPairs.closure(id, found);
        }).thenCompose(all -> cache.invalidate(id).thenCompose(done -> store.deleteMessages(id, all)))
                // the delete moved the last seq on: a marker there keeps out a window a racing turn read before it
                .thenCompose(deletion -> cache.advance(-1, new io.sluice.ports.out.CachedConversation(conversation, List.of(), List.of(), false,
                        deletion.lastSeq(), null, 0)).thenApply(done -> deletion.seqs())));
    }

    private CompletionStage<Conversation> owned(Caller caller, ConversationId id) {
        return store.find(id, caller.owner()).thenApply(found -> found.orElseThrow(() -> new ConversationNotFoundException(id.value())));
    }

    private CompletionStage<ConversationView> view(Conversation conversation) {
        return store.stats(conversation.id()).thenApply(stats -> new ConversationView(conversation, stats));
    }

    private static int checkLimit(int limit) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new InvalidRequestException("'limit' must be between 1 and " + MAX_PAGE_SIZE + ", was " + limit, "limit");
        }
        return limit;
    }
}
