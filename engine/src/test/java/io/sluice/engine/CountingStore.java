package io.sluice.engine;

import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.ConversationStats;
import io.sluice.domain.Role;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.context.Summary;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.ConversationWindow;
import io.sluice.ports.out.NewMessage;
import io.sluice.ports.out.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory store for engine tests that counts the reads a turn makes. Only what ChatService uses is there. */
final class CountingStore implements ConversationStore {
    final Map<ConversationId, Conversation> conversations = new ConcurrentHashMap<>();
    final Map<ConversationId, List<StoredMessage>> messages = new ConcurrentHashMap<>();
    final AtomicInteger reads = new AtomicInteger();
    final Map<ConversationId, Summary> summary = new ConcurrentHashMap<>();

    @Override
    public synchronized CompletionStage<Boolean> saveSummary(ConversationId id, Summary previous, Summary s, long afterSeq, int folded) {
        Summary current = summary.get(id);
        if (!java.util.Objects.equals(current, previous) || current != null && current.throughSeq() >= s.throughSeq()) {
            return CompletableFuture.completedFuture(false);
        }
        summary.put(id, s);
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<Optional<Conversation>> find(ConversationId id, String owner) {
        reads.incrementAndGet();
        return CompletableFuture.completedFuture(Optional.ofNullable(conversations.get(id)).filter(c -> c.owner().equals(owner)));
    }

    @Override
    public CompletionStage<ConversationWindow> window(ConversationId id, int maxMessages, long maxTokens) {
        reads.incrementAndGet();
        List<StoredMessage> all = messages.getOrDefault(id, List.of());
        int systemEnd = 0;
        while (systemEnd < all.size() && all.get(systemEnd).message().role() == Role.SYSTEM) systemEnd++;
        List<StoredMessage> recent = new ArrayList<>();
        long tokens = 0;
        for (int i = all.size() - 1; i >= systemEnd && recent.size() < maxMessages; i--) {
            if (tokens + all.get(i).tokenCount() > maxTokens) break;
            tokens += all.get(i).tokenCount();
            recent.addFirst(all.get(i));
        }
        boolean complete = recent.size() == all.size() - systemEnd;
        return CompletableFuture.completedFuture(new ConversationWindow(all.subList(0, systemEnd), recent, complete, all.size(), summary.get(id)));
    }

    @Override
    public synchronized CompletionStage<List<StoredMessage>> append(Conversation conversation, List<NewMessage> newMessages,
                                                                   List<io.sluice.domain.usage.UsageEntry> usage) {
        conversations.putIfAbsent(conversation.id(), conversation);
        List<StoredMessage> list = messages.computeIfAbsent(conversation.id(), k -> new ArrayList<>());
        List<StoredMessage> stored = new ArrayList<>();
        for (NewMessage m : newMessages) {
            StoredMessage s = new StoredMessage(conversation.id(), list.size() + 1, m.message(), m.tokenCount(), m.model(), Instant.now(), m.metadata());
            list.add(s);
            stored.add(s);
        }
        return CompletableFuture.completedFuture(stored);
    }

    @Override
    public CompletionStage<List<StoredMessage>> messages(ConversationId id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<StoredMessage>> unembedded(ConversationId id, String embedder, long beforeSeq, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> saveVectors(ConversationId id, String embedder, Map<Long, float[]> vectors) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Map<Long, float[]>> vectors(ConversationId id, String embedder, long beforeSeq) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<StoredMessage>> messagesAt(ConversationId id, java.util.Collection<Long> seqs) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> create(Conversation conversation) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<ConversationStats> stats(ConversationId id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Page<Conversation>> list(String owner, String user, ConversationId after, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized CompletionStage<Page<StoredMessage>> page(ConversationId id, long afterSeq, int limit, boolean ascending) {
        if (!ascending) throw new UnsupportedOperationException();
        List<StoredMessage> after = messages.getOrDefault(id, List.of()).stream().filter(m -> m.seq() > afterSeq).toList();
        return CompletableFuture.completedFuture(new Page<>(after.subList(0, Math.min(limit, after.size())), after.size() > limit));
    }

    @Override
    public CompletionStage<Boolean> deactivate(ConversationId id, String owner) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> ping() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Boolean> updateMetadata(ConversationId id, String owner, java.util.Map<String, String> metadata) {
        Conversation c = conversations.get(id);
        if (c == null || !c.owner().equals(owner)) return CompletableFuture.completedFuture(false);
        conversations.put(id, new Conversation(id, owner, c.user(), c.created(), c.updated(), metadata, c.active(), c.defaultStrategy().orElse(null)));
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<Deletion> deleteMessages(ConversationId id, java.util.Collection<Long> seqs) {
        throw new UnsupportedOperationException();
    }
}
