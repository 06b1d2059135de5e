package io.sluice.engine.erasure;

import io.sluice.domain.CounterNames;
import io.sluice.domain.ConversationId;
import io.sluice.domain.error.ConversationNotFoundException;
import io.sluice.ports.in.Caller;
import io.sluice.ports.in.Erasure;
import io.sluice.ports.out.BudgetStore;
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
    private final BudgetStore budgets;

    /** @param budgets the budget counters, when they live apart from the database (Redis): erased counters go there too */
    public ErasureService(ErasureStore store, ContextCache cache, BudgetStore budgets) {
        this.store = store;
        this.cache = cache;
        this.budgets = budgets;
    }

    public ErasureService(ErasureStore store, ContextCache cache) {
        this(store, cache, null);
    }

    @Override
    public CompletionStage<Void> purgeConversation(Caller caller, ConversationId id) {
        return store.purgeConversation(id, caller.owner()).thenCompose(found -> {
            if (!found) throw new ConversationNotFoundException(id.value());
            return forget(List.of(id));
        });
    }

    @Override
    public CompletionStage<UserErased> eraseUser(String owner, String user) {
        return purgeAll(owner, user, 0).thenCompose(conversations -> store.forgetUser(owner, user)
                .thenCompose(ledger -> forgetCounters(CounterNames.periodsOf(CounterNames.user(owner, user)))
                        .thenApply(v -> new UserErased(owner, user, conversations, ledger))));
    }

    private CompletionStage<Long> purgeAll(String owner, String user, long sofar) {
        return store.purgeUserConversations(owner, user, BATCH).thenCompose(ids -> forget(ids).thenCompose(v -> ids.size() < BATCH
                ? CompletableFuture.completedFuture(sofar + ids.size())
                : purgeAll(owner, user, sofar + ids.size())));
    }

    /** Drops purged conversations from the context cache, and their budget counters from a store apart from the database. */
    CompletionStage<Void> forget(List<ConversationId> ids) {
        return CompletableFuture.allOf(ids.stream().map(id -> cache.invalidate(id).toCompletableFuture()
                .thenCompose(v -> forgetCounters(CounterNames.periodsOf(CounterNames.conversation(id.value()))))).toArray(CompletableFuture[]::new));
    }

    private CompletionStage<Void> forgetCounters(String prefix) {
        return budgets == null ? CompletableFuture.completedFuture(null) : budgets.forget(prefix);
    }

    ErasureStore store() {
        return store;
    }
}
