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
 * A background refresh goes through the summary model's provider's batch API when the policy says so and the provider
 * has one, at its batch price; a refresh a call waits for never does. Every summary call is billed to the
 * conversation's owner, under the route {@value #ROUTE}. Thread-safe.
 */
final class RollingSummaries {
    private static final System.Logger LOG = System.getLogger(RollingSummaries.class.getName());
    private static final int PAGE = 500;
    /** What the ledger's route column says of a summary's bill, so that reports show what summaries cost. */
    static final String ROUTE = "sluice:summary";

    private final ModelRegistry registry;
    private final ConversationStore store;
    private final ContextCache cache;
    private final Summarizer summarizer;
    private final SummaryPolicy policy;
    private final Set<ConversationId> refreshing = ConcurrentHashMap.newKeySet();
    private final io.sluice.ports.out.UsageLedger ledger;
    private final java.time.Clock clock;

    RollingSummaries(ModelRegistry registry, ConversationStore store, ContextCache cache, TokenCounter tokens, SummaryPolicy policy,
                     io.sluice.ports.out.UsageLedger ledger, java.time.Clock clock) {
        this.registry = registry;
        this.ledger = ledger;
        this.clock = clock;
        this.store = store;
        this.cache = cache;
        this.summarizer = new Summarizer(tokens);
        this.policy = policy;
    }

    SummaryPolicy policy() {
        return policy;
    }

    /** After a turn: refresh in the background when {@code uncoveredTokens} passed the threshold. Never waits. */
    void afterTurn(io.sluice.domain.Conversation conversation, long uncoveredTokens, ModelRegistry.Target chatRoute) {
        ConversationId id = conversation.id();
        if (uncoveredTokens <= policy.thresholdTokens() || !refreshing.add(id)) return;
        refresh(id, conversation.owner(), conversation.user(), chatRoute, policy.keepRecentTokens(), true).whenComplete((saved, error) -> {
            refreshing.remove(id);
            if (error != null) LOG.log(System.Logger.Level.WARNING, "background summary of " + id + " failed: " + io.sluice.domain.error.Failures.describe(error));
        });
    }

    /**
     * Folds the uncovered messages, all but the newest {@code keepRecentTokens} worth, into the summary, billed to
     * {@code owner} and {@code user}; through the provider's batch API when {@code canWait} and the policy batches.
     */
    CompletionStage<Boolean> refresh(ConversationId id, String owner, String user, ModelRegistry.Target chatRoute, int keepRecentTokens,
                                     boolean canWait) {
        ModelRegistry.Target summaryRoute = policy.model().map(registry::resolve).orElse(chatRoute);
        var complete = billed(id, owner, user, summaryRoute, canWait && policy.batch() ? summaryRoute.provider().batches() : java.util.Optional.empty());
        return store.window(id, 0, 0).thenCompose(window -> {
            Summary current = window.summary();
            long after = Math.max(current == null ? 0 : current.throughSeq(), window.systemPrompt().isEmpty() ? 0 : window.systemPrompt().getLast().seq());
            return uncovered(id, after, new ArrayList<>()).thenCompose(uncovered -> {
                List<StoredMessage> fold = foldable(uncovered, keepRecentTokens);
                if (fold.isEmpty()) return CompletableFuture.completedFuture(false);
                return summarizer.fold(current, fold, complete, summaryRoute.spec().upstreamName(),
                                summaryRoute.spec().contextWindow(), summaryRoute.spec().encoding(), policy.maxSummaryTokens(),
                                chatRoute.spec().encoding())
                        .thenCompose(summary -> store.saveSummary(id, current, summary, after, fold.size()))
                        .thenCompose(saved -> cache.invalidate(id).thenApply(done -> saved));
            });
        });
    }

    /**
     * Sends a summary request, through {@code batches} when present (at once, when the provider turns out to have no
     * batch API), and bills each answer at the price of the way it went.
     */
    private java.util.function.Function<io.sluice.domain.ChatRequest, CompletionStage<io.sluice.domain.ChatResponse>> billed(
            ConversationId id, String owner, String user, ModelRegistry.Target route, java.util.Optional<io.sluice.ports.out.UpstreamBatches> batches) {
        String requestId = "sum_" + java.util.UUID.randomUUID().toString().replace("-", "");
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        return request -> {
            long started = System.nanoTime();
            CompletionStage<Served> sent = batches.isEmpty() ? now(route, request)
                    : SingleRequestBatch.complete(batches.get(), request, policy.batchPollInterval(), BATCH_MAX_WAIT)
                            .thenApply(response -> new Served(response, registry.batchPrices(route.spec())))
                            .exceptionallyCompose(error -> noBatchApi(error) ? now(route, request) : CompletableFuture.failedFuture(error));
            return sent.thenCompose(served -> ledger.record(List.of(new io.sluice.domain.usage.UsageEntry(requestId, attempts.incrementAndGet(), owner,
                            null, user, id.value(), ROUTE, route.spec().name(), route.provider().name(), served.response().usage(),
                            served.prices().cost(served.response().usage()), (System.nanoTime() - started) / 1_000_000,
                            io.sluice.domain.usage.UsageEntry.Outcome.OK, clock.instant(), served.prices().source())))
                    .handle((done, error) -> {
                        if (error != null) LOG.log(System.Logger.Level.WARNING, "the bill of a summary of " + id + " could not be written: "
                                + io.sluice.domain.error.Failures.describe(error));
                        return served.response();
                    }));
        };
    }

    /** How long a batched summary may take before it is called off (and made again after a later turn). */
    private static final java.time.Duration BATCH_MAX_WAIT = java.time.Duration.ofHours(24);

    /** An answer, and the prices it is billed at. */
    private record Served(io.sluice.domain.ChatResponse response, io.sluice.domain.Prices prices) {}

    private static CompletionStage<Served> now(ModelRegistry.Target route, io.sluice.domain.ChatRequest request) {
        return route.provider().complete(request).thenApply(response -> new Served(response, route.spec().prices()));
    }

    /** The provider has no batch API after all (an OpenAI-compatible server answers 404). */
    private static boolean noBatchApi(Throwable error) {
        Throwable cause = io.sluice.domain.error.Failures.cause(error);
        return cause instanceof io.sluice.domain.error.UnsupportedFeatureException
                || cause instanceof io.sluice.domain.error.UpstreamRejectedException r && r.status() == 404;
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
