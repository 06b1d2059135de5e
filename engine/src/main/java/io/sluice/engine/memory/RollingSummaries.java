package io.sluice.engine.memory;

import io.sluice.engine.models.ModelRegistry;
import io.sluice.domain.ConversationId;
import io.sluice.domain.Role;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.context.Summary;
import io.sluice.engine.memory.Summarizer;
import io.sluice.ports.out.ContextCache;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.Page;
import io.sluice.ports.out.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps rolling summaries current. After a turn, once the messages no summary covers pass the policy's threshold, a
 * refresh runs in the background (at most one per conversation at a time); a call waits for one only when its
 * uncovered messages cannot fit otherwise. A refresh folds every uncovered message but the newest few into the
 * summary, saves it (never moving it backwards), and drops the conversation's cache entry so the next turn reads it.
 * Thread-safe.
 */
final class RollingSummaries {
    private static final System.Logger LOG = System.getLogger(RollingSummaries.class.getName());
    private static final int PAGE = 500;

    private final ModelRegistry registry;
    private final ConversationStore store;
    private final ContextCache cache;
    private final Summarizer summarizer;
    private final SummaryPolicy policy;
    private final Set<ConversationId> refreshing = ConcurrentHashMap.newKeySet();

    RollingSummaries(ModelRegistry registry, ConversationStore store, ContextCache cache, TokenCounter tokens, SummaryPolicy policy) {
        this.registry = registry;
        this.store = store;
        this.cache = cache;
        this.summarizer = new Summarizer(tokens);
        this.policy = policy;
    }

    SummaryPolicy policy() {
        return policy;
    }

    /** After a turn: refresh in the background when {@code uncoveredTokens} passed the threshold. Never waits. */
    void afterTurn(ConversationId id, long uncoveredTokens, ModelRegistry.Target chatRoute) {
        if (uncoveredTokens <= policy.thresholdTokens() || !refreshing.add(id)) return;
        refresh(id, chatRoute, policy.keepRecentTokens()).whenComplete((saved, error) -> {
            refreshing.remove(id);
            if (error != null) LOG.log(System.Logger.Level.WARNING, "background summary of " + id + " failed: " + io.sluice.domain.error.Failures.describe(error));
        });
    }

    /** Folds the uncovered messages, all but the newest {@code keepRecentTokens} worth, into the summary. */
    CompletionStage<Boolean> refresh(ConversationId id, ModelRegistry.Target chatRoute, int keepRecentTokens) {
        ModelRegistry.Target summaryRoute = policy.model().map(registry::resolve).orElse(chatRoute);
        return store.window(id, 0, 0).thenCompose(window -> {
            Summary current = window.summary();
            long after = Math.max(current == null ? 0 : current.throughSeq(), window.systemPrompt().isEmpty() ? 0 : window.systemPrompt().getLast().seq());
            return uncovered(id, after, new ArrayList<>()).thenCompose(uncovered -> {
                List<StoredMessage> fold = foldable(uncovered, keepRecentTokens);
                if (fold.isEmpty()) return CompletableFuture.completedFuture(false);
                return summarizer.fold(current, fold, summaryRoute.provider(), summaryRoute.spec().upstreamName(),
                                summaryRoute.spec().contextWindow(), summaryRoute.spec().encoding(), policy.maxSummaryTokens(),
                                chatRoute.spec().encoding())
                        .thenCompose(summary -> store.saveSummary(id, current, summary, after, fold.size()))
                        .thenCompose(saved -> cache.invalidate(id).thenApply(done -> saved));
            });
        });
    }

    private CompletionStage<List<StoredMessage>> uncovered(ConversationId id, long afterSeq, List<StoredMessage> into) {
        return store.page(id, afterSeq, PAGE, true).thenCompose((Page<StoredMessage> page) -> {
            into.addAll(page.items());
            if (!page.hasMore() || page.items().isEmpty()) return CompletableFuture.completedFuture(into);
            return uncovered(id, page.items().getLast().seq(), into);
        });
    }

    /** All but the newest messages worth {@code keep} tokens; the kept part never starts with an orphaned tool result. */
    static List<StoredMessage> foldable(List<StoredMessage> uncovered, int keep) {
        int boundary = uncovered.size();
        long kept = 0;
        while (boundary > 0 && kept + uncovered.get(boundary - 1).tokenCount() <= keep) {
            kept += uncovered.get(boundary - 1).tokenCount();
            boundary--;
        }
        while (boundary < uncovered.size() && uncovered.get(boundary).message().role() == Role.TOOL) boundary++;
        return uncovered.subList(0, boundary);
    }
}
