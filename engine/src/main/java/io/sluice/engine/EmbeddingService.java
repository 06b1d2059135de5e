package io.sluice.engine;

import io.sluice.domain.EmbeddingRequest;
import io.sluice.domain.EmbeddingResponse;
import io.sluice.domain.Encoding;
import io.sluice.domain.Usage;
import io.sluice.domain.error.StorageUnavailableException;
import io.sluice.domain.keys.ApiKey;
import io.sluice.domain.sla.SlaTier;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.engine.budget.BudgetGuard;
import io.sluice.engine.limits.FlowControl;
import io.sluice.engine.models.ModelRegistry;
import io.sluice.engine.sla.ResilientCaller;
import io.sluice.ports.in.Embeddings;
import io.sluice.ports.out.StorageHealth;
import io.sluice.ports.out.TokenCounter;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Embeddings calls, on the chat calls' policies: the model is resolved as a chat's (a configured model, else the
 * passthrough provider), the input's tokens are counted with its encoding, the call is admitted within the caller's
 * rate limits (by tokens) and budgets (its cost at the model's input price), served under the SLA policy by the same
 * keys and circuits, billed in the ledger with the upstream's usage, and settles its limits and hold exactly once,
 * whether it was answered or failed. Thread-safe.
 */
final class EmbeddingService implements Embeddings {
    private final ModelRegistry registry;
    private final TokenCounter tokens;
    private final SlaPolicy sla;
    private final ResilientCaller caller;
    private final FlowControl flow;
    private final BudgetGuard budgets;
    private final StorageHealth storage;
    private final Settlement settlement;
    private final Clock clock;

    EmbeddingService(ModelRegistry registry, TokenCounter tokens, SlaPolicy sla, ResilientCaller caller, FlowControl flow, BudgetGuard budgets,
                     StorageHealth storage, Settlement settlement, Clock clock) {
        this.registry = registry;
        this.tokens = tokens;
        this.sla = sla;
        this.caller = caller;
        this.flow = flow;
        this.budgets = budgets;
        this.storage = storage;
        this.settlement = settlement;
        this.clock = clock;
    }

    @Override
    public CompletionStage<EmbeddingResult> embed(EmbeddingCall call) {
        ModelRegistry.Target target;
        SlaTier tier;
        long inputTokens;
        try {
            if (!storage.available()) throw new StorageUnavailableException(null); // it could not be billed
            target = registry.resolve(call.request().model());
            tier = call.slaTier().or(() -> call.caller().policy().tier()).map(name -> SlaTier.named(name, sla.tiers())).orElse(sla.defaultTier());
            inputTokens = count(call.request(), target.spec().encoding());
        } catch (RuntimeException refused) {
            settlement.ended("refused");
            return CompletableFuture.failedFuture(refused);
        }
        long start = System.nanoTime();
        EmbeddingRequest upstream = call.request().withModel(target.spec().upstreamName());
        return flow.admit(call.caller(), call.request().model(), () -> inputTokens).thenCompose(limits -> reserve(call, target, inputTokens, start, tier)
                .whenComplete((hold, refused) -> {
                    if (refused != null) limits.settle(0);
                })
                .thenCompose(hold -> caller.call(target.spec().name(), target.endpoints(), tier, () -> inputTokens, call.clientRetries() > 0,
                                (provider, connectTimeout) -> provider.embeddings(upstream, connectTimeout), EmbeddingResponse::usage)
                        .handle((served, error) -> {
                            UsageEntry bill = error == null ? bill(call, target, served, inputTokens, start) : null;
                            CompletionStage<?> written = bill == null ? CompletableFuture.completedFuture(null) : settlement.billAlone(bill);
                            return written.handle((ok, ignored) -> {
                                limits.settle(bill == null ? 0 : bill.usage().totalTokens());
                                hold.settle(bill == null ? BigDecimal.ZERO : bill.cost(), clock.instant());
                                settlement.ended(error == null ? "completed" : "failed");
                                if (error != null) throw error instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(error);
                                return new EmbeddingResult(served.value().withModel(target.spec().name()).withUsage(bill.usage()), served.by());
                            });
                        }).thenCompose(java.util.function.Function.identity())));
    }

    /** The call's cost at the model's input price, held on its budgets while it runs. */
    private CompletionStage<BudgetGuard.Hold> reserve(EmbeddingCall call, ModelRegistry.Target target, long inputTokens, long start, SlaTier tier) {
        if (!budgets.activeFor(call.caller())) return CompletableFuture.completedFuture(budgets.noHold());
        BigDecimal worstCase = target.spec().prices().cost(new Usage((int) Math.min(Integer.MAX_VALUE, inputTokens), 0, 0));
        return budgets.reserve(call.caller(), null, false, worstCase, start + tier.deadline().toNanos(), call.requestId());
    }

    /** The upstream's count when it gave one (it bills by it), else ours. */
    private UsageEntry bill(EmbeddingCall call, ModelRegistry.Target target, ResilientCaller.Served<EmbeddingResponse> served, long inputTokens,
                            long start) {
        Usage reported = served.value().usage();
        Usage usage = reported.promptTokens() > 0 ? reported : new Usage((int) Math.min(Integer.MAX_VALUE, inputTokens), 0, 0);
        var caller = call.caller();
        return new UsageEntry(call.requestId(), 1, caller.owner(), caller.key().map(ApiKey::id).orElse(null), caller.user(), null, null,
                target.spec().name(), served.by().endpoint(), usage, target.spec().prices().cost(usage),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), UsageEntry.Outcome.OK, clock.instant(), target.spec().prices().source());
    }

    private long count(EmbeddingRequest request, Encoding encoding) {
        long count = 0;
        for (String text : request.texts()) count += tokens.countText(text, encoding);
        for (List<Integer> array : request.tokenArrays()) count += array.size();
        return count;
    }
}
