package io.sluice.engine;

import io.sluice.engine.models.ModelRegistry;
import io.sluice.domain.Prices;
import io.sluice.domain.Usage;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.engine.budget.BudgetGuard;
import io.sluice.engine.limits.FlowControl;
import io.sluice.domain.error.StorageUnavailableException;
import io.sluice.ports.in.ConversationRef;
import io.sluice.ports.out.StorageHealth;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Lets a call go upstream only within its rate limits and budgets: counts it against its limits (by the model or route
 * it named), then reserves its worst-case cost on its budgets (twice over when its tier may run a second model
 * alongside a slow one), and afterwards settles both from the ledger entries the call is billed with, or releases
 * both when it failed. A call is not admitted while the database is unreachable:
 * it could be neither billed nor stored. Thread-safe.
 */
final class CallAdmission {
    private final FlowControl flow;
    private final BudgetGuard budgets;
    private final StorageHealth storage;

    CallAdmission(FlowControl flow, BudgetGuard budgets, StorageHealth storage) {
        this.flow = flow;
        this.budgets = budgets;
        this.storage = storage;
    }

    /** An admitted call: the plan to send (its max_tokens set when a budget needed one), and what to settle after. */
    static final class Admitted {
        private final CallPlan plan;
        private final FlowControl.Admission limits;
        private final BudgetGuard.Hold hold;

        Admitted(CallPlan plan, FlowControl.Admission limits, BudgetGuard.Hold hold) {
            this.plan = plan;
            this.limits = limits;
            this.hold = hold;
        }

        CallPlan plan() {
            return plan;
        }

        /** The tightest rate limit the call counted against, for the answer's x-ratelimit-* headers; null for none. */
        io.sluice.domain.limits.LimitDecision rateLimit() {
            return limits.decision();
        }

        /** Settles the call's limits and budgets from its bills (none when nothing was consumed), committed at {@code billedAt}. */
        void settle(java.util.List<UsageEntry> bills, Instant billedAt) {
            long tokens = 0;
            BigDecimal cost = BigDecimal.ZERO;
            for (UsageEntry bill : bills) {
                tokens += bill.usage().totalTokens();
                cost = cost.add(bill.cost());
            }
            limits.settle(tokens);
            hold.settle(cost, billedAt);
        }
    }

    CompletionStage<Admitted> admit(Call call) {
        if (!storage.available()) return CompletableFuture.failedFuture(new StorageUnavailableException(null));
        CallPlan plan = call.plan();
        long cap = call.request.caller().policy().maxPromptTokens();
        if (cap > 0 && plan.promptTokens() > cap) {
            return CompletableFuture.failedFuture(new io.sluice.domain.error.InvalidRequestException("This API key's prompts are capped at " + cap
                    + " tokens; this call's is " + plan.promptTokens(), "messages", "prompt_too_large"));
        }
        return flow.admit(call.request.caller(), call.request.request().model(), plan::estimatedTokens).thenCompose(limits ->
                reserve(call, plan, limits).whenComplete((admitted, error) -> {
                    if (error != null) limits.settle(0); // refused by a budget: its tokens never went upstream
                }));
    }

    /**
     * Reserves the call's worst case on its budgets: its prompt at the dearest input price of the models that may
     * serve it, and its reply at the dearest output price, once per choice asked for ({@code n}); a call without
     * max_tokens is given the reply it reserved.
     */
    private CompletionStage<Admitted> reserve(Call call, CallPlan plan, FlowControl.Admission limits) {
        if (!budgets.activeFor(call.request.caller())) return CompletableFuture.completedFuture(new Admitted(plan, limits, budgets.noHold()));
        int reply = plan.replyReserve();
        CallPlan capped = call.request.request().options().maxTokens() != null ? plan : plan.withMaxTokens(reply);
        BigDecimal input = BigDecimal.ZERO;
        BigDecimal output = BigDecimal.ZERO;
        for (ModelRegistry.Target t : plan.selection().targets()) {
            input = input.max(t.spec().prices().inputPerMillion());
            output = output.max(t.spec().prices().outputPerMillion());
        }
        int replies = (int) Math.min(Integer.MAX_VALUE, (long) reply * call.request.request().options().choices());
        BigDecimal worstCase = new Prices(input, output, input).cost(new Usage(plan.promptTokens(), replies, 0));
        // a tier's fallback-after may run two models at once, each of which may cost the worst case
        if (call.tier.fallbackAfter().isPresent() && plan.selection().targets().size() > 1) worstCase = worstCase.multiply(BigDecimal.TWO);
        String conversation = plan.turn().conversationId().map(id -> id.value()).orElse(null);
        boolean newConversation = call.request.conversation() instanceof ConversationRef.New;
        return budgets.reserve(call.request.caller(), conversation, newConversation, worstCase, call.deadlineNanos, call.requestId)
                .thenApply(hold -> new Admitted(capped, limits, hold));
    }
}
