package io.sluice.engine.erasure;

import io.sluice.domain.ConversationId;
import io.sluice.domain.error.ConversationNotFoundException;
import io.sluice.ports.in.Caller;
import io.sluice.ports.in.Erasure;
import io.sluice.ports.out.ContextCache;
import io.sluice.ports.out.ErasureStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link Erasure} over the stores: each conversation purged from the database is then dropped from the context cache,
 * so that no replica serves a window of it again. An end user's conversations go {@link #BATCH} at a time, each batch
 * one short transaction. Thread-safe.
 */
public final class ErasureService implements Erasure {
    /** Conversations purged per transaction. */
    public static final int BATCH = 100;

    private final ErasureStore store;
    private final ContextCache cache;

    public ErasureService(ErasureStore store, ContextCache cache) {
        this.store = store;
        this.cache = cache;
    }

    @Override
    public CompletionStage<Void> purgeConversation(Caller caller, ConversationId id) {
        return store.purgeConversation(id, caller.owner()).thenCompose(found -> {
            if (!found) throw new ConversationNotFoundException(id.value());
            return cache.invalidate(id);
        });
    }

    @Override
    public CompletionStage<UserErased> eraseUser(String owner, String user) {
        return purgeAll(owner, user, 0).thenCompose(conversations -> store.forgetUser(owner, user)
                .thenApply(ledger -> new UserErased(owner, user, conversations, ledger)));
    }

    private CompletionStage<Long> purgeAll(String owner, String user, long sofar) {
        return store.purgeUserConversations(owner, user, BATCH).thenCompose(ids -> forget(ids).thenCompose(v -> ids.size() < BATCH
                ? CompletableFuture.completedFuture(sofar + ids.size())
                : purgeAll(owner, user, sofar + ids.size())));
    }

    /** Drops purged conversations from the context cache. */
    CompletionStage<Void> forget(List<ConversationId> ids) {
        return CompletableFuture.allOf(ids.stream().map(id -> cache.invalidate(id).toCompletableFuture()).toArray(CompletableFuture[]::new));
    }

    ErasureStore store() {
        return store;
    }
}
