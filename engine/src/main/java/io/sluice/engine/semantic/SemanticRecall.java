package io.sluice.engine.semantic;

import io.sluice.domain.ConversationId;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.context.Relevance;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.Embedder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Finds the stored messages most relevant to a query. Messages are embedded lazily, once each: a recall first embeds
 * up to {@value #BACKFILL_BATCH} messages that have no vector yet and stores their vectors. Thread-safe.
 */
public final class SemanticRecall {
    static final int BACKFILL_BATCH = 500;

    private final ConversationStore store;
    private final Embedder embedder;
    private final int maxCandidates;

    public SemanticRecall(ConversationStore store, Embedder embedder, int maxCandidates) {
        this.store = store;
        this.embedder = embedder;
        this.maxCandidates = maxCandidates;
    }

    /** The messages older than {@code beforeSeq} that match {@code query}, best first. */
    public CompletionStage<List<StoredMessage>> recall(ConversationId id, long beforeSeq, String query) {
        if (query == null || query.isBlank() || beforeSeq <= 1) return CompletableFuture.completedFuture(List.of());
        return backfill(id, beforeSeq)
                .thenCompose(done -> store.vectors(id, embedder.id(), beforeSeq))
                .thenCompose(vectors -> embedder.embed(List.of(query)).thenCompose(q -> {
                    List<Long> ranked = Relevance.rank(q.getFirst(), vectors, embedder.lexical());
                    List<Long> best = ranked.subList(0, Math.min(maxCandidates, ranked.size()));
                    return store.messagesAt(id, best).thenApply(found -> {
                        Map<Long, StoredMessage> bySeq = new HashMap<>();
                        found.forEach(m -> bySeq.put(m.seq(), m));
                        return best.stream().map(bySeq::get).filter(java.util.Objects::nonNull).toList();
                    });
                }));
    }

    private CompletionStage<Void> backfill(ConversationId id, long beforeSeq) {
        return store.unembedded(id, embedder.id(), beforeSeq, BACKFILL_BATCH).thenCompose(missing -> {
            if (missing.isEmpty()) return CompletableFuture.completedFuture(null);
            return embedder.embed(missing.stream().map(m -> m.message().content()).toList()).thenCompose(vectors -> {
                Map<Long, float[]> bySeq = new HashMap<>();
                for (int i = 0; i < missing.size(); i++) bySeq.put(missing.get(i).seq(), vectors.get(i));
                return store.saveVectors(id, embedder.id(), bySeq);
            });
        });
    }
}
