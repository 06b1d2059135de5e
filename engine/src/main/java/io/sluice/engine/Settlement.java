package io.sluice.engine;

import io.sluice.engine.memory.TurnMemory;
import io.sluice.engine.models.ModelRegistry;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.keys.ApiKey;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.ports.out.CallEvents;
import io.sluice.ports.out.UsageLedger;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The end of every call, whatever its outcome: bills what was delivered (the ledger entry, exact cost), stores it (a
 * stored conversation's turn and bill in one transaction; a bill alone in the ledger), then settles the call's rate
 * limits and budget hold from that bill and reports the outcome. A bill alone that cannot be written is logged with its
 * request id, owner, model and cost and counted, and never fails the answer: the upstream already served it, and the
 * caps were settled from it all the same. Thread-safe.
 */
final class Settlement {
    private static final System.Logger LOG = System.getLogger(Settlement.class.getName());
    /** The metadata key of a stored answer that holds the request id of the call that produced it. */
    static final String REQUEST_ID = io.sluice.domain.StoredMessage.REQUEST_ID;

    private final ModelRegistry registry;
    private final TurnMemory memory;
    private final UsageLedger ledger;
    private final Clock clock;
    private final CallEvents events;

    Settlement(ModelRegistry registry, TurnMemory memory, UsageLedger ledger, Clock clock, CallEvents events) {
        this.registry = registry;
        this.memory = memory;
        this.ledger = ledger;
        this.clock = clock;
        this.events = events;
    }

    CompletionStage<Void> settle(Call call, Call.Outcome outcome, Delivery delivered) {
        CallPlan plan = call.plan();
        UsageEntry bill = delivered.served() && plan != null ? bill(call, plan, delivered, outcome) : null;
        io.sluice.ports.out.TraceSpan storing = bill == null ? io.sluice.ports.out.TraceSpan.NONE : CallSpans.stage(call, "sluice.storage")
                .attribute("sluice.storage.turn", plan.turn().isStored() && delivered.hasReply());
        CompletionStage<?> stored = bill == null ? CompletableFuture.completedFuture(null) : store(plan, outcome, delivered, bill);
        List<UsageEntry> bills = bill == null ? List.of() : List.of(bill);
        if (bill != null && delivered.abandoned() != null) {
            UsageEntry abandoned = abandonedBill(call, plan, delivered.abandoned(), bill);
            bills = List.of(bill, abandoned);
            stored = stored.thenCombine(billAlone(abandoned), (turn, alone) -> null);
        }
        List<UsageEntry> settled = bills;
        return stored.handle((ok, error) -> {
            endStorage(storing, error);
            Instant billedAt = clock.instant();
            CallAdmission.Admitted admitted = call.admission();
            if (admitted != null) admitted.settle(settled, billedAt);
            events.ended(outcome.name().toLowerCase(Locale.ROOT));
            if (error != null) call.failedWith(error);
            CallSpans.ended(call, outcome, bill);
            if (error != null) throw error instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(error);
            return null;
        });
    }

    private static void endStorage(io.sluice.ports.out.TraceSpan storing, Throwable error) {
        try {
            if (error != null) storing.failed(CallSpans.errorType(error));
            storing.end();
        } catch (RuntimeException e) { // the hold is settled and the call ended whatever the tracer does
            LOG.log(System.Logger.Level.WARNING, "storage span not ended: " + e.getClass().getSimpleName());
        }
    }

    private UsageEntry bill(Call call, CallPlan plan, Delivery delivered, Call.Outcome outcome) {
        var caller = call.request.caller();
        // a hit and a fallback reply cost nothing upstream (a hit is priced by the call that filled the cache, whose
        // model may since have gone; a fallback reply names its route, not a model)
        boolean free = outcome == Call.Outcome.CACHE_HIT || outcome == Call.Outcome.FALLBACK_REPLY;
        io.sluice.domain.Prices prices = free ? null : registry.resolve(delivered.by().model()).spec().prices();
        return new UsageEntry(call.requestId, 1, caller.owner(), caller.key().map(ApiKey::id).orElse(null), caller.user(),
                plan.turn().conversationId().map(id -> id.value()).orElse(null), call.route(), delivered.by().model(),
                delivered.by().endpoint(), delivered.usage(), free ? java.math.BigDecimal.ZERO : prices.cost(delivered.usage()),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - call.startNanos), ledgerOutcome(outcome), clock.instant(),
                free ? null : prices.source(), outcome == Call.Outcome.CACHE_HIT ? delivered.cacheHit() : null);
    }

    /**
     * The bill of a slow model's attempt called off when another answered first: its prompt, which the upstream read,
     * at its model's prices, as the call's second attempt ({@code CANCELLED}). What it may have generated before it
     * was called off is not known here, and not billed.
     */
    private UsageEntry abandonedBill(Call call, CallPlan plan, io.sluice.ports.in.ServedBy attempt, UsageEntry answered) {
        io.sluice.domain.Prices prices = registry.resolve(attempt.model()).spec().prices();
        io.sluice.domain.Usage prompt = new io.sluice.domain.Usage(plan.promptTokens(), 0, 0);
        return new UsageEntry(call.requestId, 2, answered.owner(), answered.apiKeyId(), answered.user(), answered.conversationId(), answered.route(),
                attempt.model(), attempt.endpoint(), prompt, prices.cost(prompt), answered.latencyMillis(), UsageEntry.Outcome.CANCELLED,
                answered.at(), prices.source());
    }

    /** What the call costs in all: its answer's {@code cost}, and the prompt of a slower model's attempt called off for it, if any. */
    BigDecimal costWith(CallPlan plan, io.sluice.ports.in.ServedBy abandoned, BigDecimal cost) {
        if (abandoned == null) return cost;
        return cost.add(registry.resolve(abandoned.model()).spec().prices().cost(new io.sluice.domain.Usage(plan.promptTokens(), 0, 0)));
    }

    private static UsageEntry.Outcome ledgerOutcome(Call.Outcome outcome) {
        return switch (outcome) {
            case CUT -> UsageEntry.Outcome.CUT;
            case CANCELLED -> UsageEntry.Outcome.CANCELLED;
            case CACHE_HIT -> UsageEntry.Outcome.CACHE_HIT;
            case FALLBACK_REPLY -> UsageEntry.Outcome.FALLBACK_REPLY;
            default -> UsageEntry.Outcome.OK;
        };
    }

    /**
     * A stored conversation's turn with its bill, whole or, when it ended early, as far as the client got it (marked
     * truncated); a call with no reply to store (stateless, or ended before any content) writes its bill alone.
     */
    private CompletionStage<?> store(CallPlan plan, Call.Outcome outcome, Delivery delivered, UsageEntry bill) {
        if (!plan.turn().isStored() || !delivered.hasReply()) {
            CompletionStage<?> written = billAlone(bill);
            // a hit's bill costs nothing and settles no cap (a hit took no hold): it is written while the answer goes
            // out, so that a hit waits on no commit; a crash can lose only the savings rows of its last milliseconds
            return outcome == Call.Outcome.CACHE_HIT ? CompletableFuture.completedFuture(null) : written;
        }
        // the request id names the turn's answer: the Responses API's ids are made of it and the conversation's
        // and its usage, so that the answer read back later (a stored response) says what it took
        Map<String, String> metadata = new java.util.HashMap<>(Map.of(REQUEST_ID, bill.requestId(),
                io.sluice.domain.StoredMessage.INPUT_TOKENS, Integer.toString(bill.usage().promptTokens()),
                io.sluice.domain.StoredMessage.OUTPUT_TOKENS, Integer.toString(bill.usage().completionTokens())));
        if (outcome == Call.Outcome.CUT || outcome == Call.Outcome.CANCELLED) metadata.put("truncated", "true");
        if (outcome == Call.Outcome.CANCELLED) metadata.put("ended", "cancelled");
        if (outcome == Call.Outcome.CACHE_HIT) metadata.put(io.sluice.domain.StoredMessage.CACHED, "true");
        if (outcome == Call.Outcome.FALLBACK_REPLY) metadata.put(io.sluice.domain.StoredMessage.FALLBACK, "true");
        plan.turn().describeContext(metadata);
        metadata.put(io.sluice.domain.StoredMessage.COST_USD, bill.cost().toPlainString());
        metadata.put(io.sluice.domain.StoredMessage.LATENCY_MS, Long.toString(bill.latencyMillis()));
        return memory.record(plan.turn(), servedTarget(plan, delivered, outcome), delivered.reply(), metadata, bill);
    }

    /**
     * The model that served the answer; for a fallback reply, and a cached answer whose model is no longer configured,
     * the one the turn was planned for.
     */
    private ModelRegistry.Target servedTarget(CallPlan plan, Delivery delivered, Call.Outcome outcome) {
        if (outcome == Call.Outcome.FALLBACK_REPLY) return plan.selection().planning();
        try {
            return registry.resolve(delivered.by().model());
        } catch (RuntimeException gone) {
            if (delivered.cacheHit() == null) throw gone;
            return plan.selection().planning();
        }
    }

    /** Reports how a call ended, for the calls that end without a {@link Call} (embeddings). */
    void ended(String outcome) {
        events.ended(outcome);
    }

    /** Writes a bill that belongs to no stored turn; one that cannot be written is logged and counted, never failed. */
    CompletionStage<?> billAlone(UsageEntry bill) {
        CompletionStage<Void> written;
        try {
            written = ledger.record(List.of(bill));
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        return written.exceptionally(error -> {
            events.billUnwritten();
            LOG.log(System.Logger.Level.ERROR, "bill not written (" + io.sluice.domain.error.Failures.cause(error).getClass().getSimpleName() + "): request " + bill.requestId()
                    + ", owner " + bill.owner() + ", model " + bill.model() + ", cost " + bill.cost().toPlainString() + " USD");
            return null;
        });
    }
}
