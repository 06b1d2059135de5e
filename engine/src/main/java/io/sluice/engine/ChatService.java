package io.sluice.engine;

import io.sluice.domain.Usage;
import io.sluice.domain.error.ContextLengthExceededException;
import io.sluice.domain.error.Failures;
import io.sluice.domain.error.SummaryNeededException;
import io.sluice.domain.sla.SlaTier;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.engine.budget.BudgetGuard;
import io.sluice.engine.internal.RecordingPublisher;
import io.sluice.engine.internal.StreamAccumulator;
import io.sluice.engine.limits.FlowControl;
import io.sluice.engine.routing.Routing;
import io.sluice.engine.semantic.SemanticRecall;
import io.sluice.engine.sla.ResilientCaller;
import io.sluice.ports.in.CallTimings;
import io.sluice.ports.in.ChatCall;
import io.sluice.ports.in.ChatCompletions;
import io.sluice.ports.in.ChatResult;
import io.sluice.ports.in.ChatStream;
import io.sluice.ports.in.ServedBy;
import io.sluice.ports.out.ContextCache;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.TokenCounter;
import io.sluice.ports.out.UsageLedger;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs one chat call: pick the models that may serve it (its route, or the model it names) and its SLA tier, build
 * its turn from the conversation's memory ({@link TurnMemory}), admit it under its rate limits and budgets
 * ({@link CallAdmission}), call the upstreams ({@link ResilientCaller}), then bill it and store the turn.
 * Thread-safe and non-blocking; every I/O step is a port that completes asynchronously.
 */
public final class ChatService implements ChatCompletions {
    /** Longest chain of context-window fallbacks followed; it also stops a misconfigured cycle. */
    private static final int MAX_CONTEXT_FALLBACKS = 3;

    private final ModelRegistry registry;
    private final TokenCounter tokens;
    private final ContextDefaults contextDefaults;
    private final SlaPolicy sla;
    private final ResilientCaller caller;
    private final Billing billing;
    private final TurnMemory memory;
    private final CallAdmission admission;

    /** With the default SLA policies; the usage of stateless calls is not kept (a stored turn keeps its own with its messages). */
    public ChatService(ModelRegistry registry, ConversationStore store, ContextCache cache, TokenCounter tokens, Clock clock,
                       ContextDefaults contextDefaults, SummaryPolicy summaryPolicy, SemanticRecall recall) {
        this(registry, store, cache, tokens, clock, contextDefaults, summaryPolicy, recall, SlaPolicy.ofDefaults(), UsageLedger.NONE,
                FlowControl.none(), BudgetGuard.none());
    }

    public ChatService(ModelRegistry registry, ConversationStore store, ContextCache cache, TokenCounter tokens, Clock clock,
                       ContextDefaults contextDefaults, SummaryPolicy summaryPolicy, SemanticRecall recall, SlaPolicy sla, UsageLedger ledger,
                       FlowControl flow, BudgetGuard budgets) {
        this.registry = registry;
        this.tokens = tokens;
        this.contextDefaults = contextDefaults;
        this.sla = sla;
        this.caller = new ResilientCaller(sla.circuits(), sla.retries(), sla.events());
        this.billing = new Billing(registry, tokens, clock);
        this.memory = new TurnMemory(store, cache, ledger, tokens, clock, contextDefaults,
                new RollingSummaries(registry, store, cache, tokens, summaryPolicy), recall);
        this.admission = new CallAdmission(flow, budgets, contextDefaults);
    }

    @Override
    public CompletionStage<ChatResult> complete(ChatCall call) {
        Selection selection = select(call);
        SlaTier tier = tierOf(call, selection);
        Billing.Call billed = Billing.Call.start(call, selection.route());
        long deadline = System.nanoTime() + tier.deadline().toNanos();
        CompletionStage<ChatResult> result = plan(call, selection, 0)
                .thenCompose(planned -> admission.admit(call, planned, deadline))
                .thenCompose(admitted -> {
                    CallPlan plan = admitted.plan();
                    long upstreamStart = System.nanoTime();
                    return caller.complete(plan.candidates(), tier, plan::estimatedTokens)
                            .whenComplete((served, error) -> {
                                if (error != null) admitted.settle(null);
                            })
                            .thenCompose(served -> {
                                long storeStart = System.nanoTime();
                                Usage usage = served.value().usage() == null ? Usage.ZERO : served.value().usage();
                                UsageEntry entry = billing.entry(billed, plan.turn(), served.by(), usage, UsageEntry.Outcome.OK);
                                admitted.settle(entry);
                                return memory.record(plan.turn(), registry.resolve(served.by().model()), served.value().message(), Map.of(), entry)
                                        .thenApply(stored -> new ChatResult(served.value(), plan.turn().conversationId(), served.by(),
                                                new CallTimings(storeStart - upstreamStart, System.nanoTime() - storeStart)));
                            });
                });
        return result.whenComplete((ok, error) -> selection.recordCall(System.nanoTime() - billed.startNanos(), error));
    }

    @Override
    public CompletionStage<ChatStream> stream(ChatCall call) {
        Selection selection = select(call);
        SlaTier tier = tierOf(call, selection);
        Billing.Call billed = Billing.Call.start(call, selection.route());
        long deadline = System.nanoTime() + tier.deadline().toNanos();
        return plan(call, selection, 0).thenCompose(planned -> admission.admit(call, planned, deadline)).thenApply(admitted -> {
            CallPlan plan = admitted.plan();
            ResilientCaller.ServedStream served = caller.stream(plan.candidates(), tier, plan::estimatedTokens);
            // a deployment's stream latency is its time to the first chunk: what a client waiting on it feels
            served.servedBy().whenComplete((by, error) -> selection.recordCall(System.nanoTime() - billed.startNanos(), error));
            return new ChatStream(plan.turn().conversationId(), new RecordingPublisher(served.chunks(), (accumulated, error) -> {
                ServedBy by = servedOrNull(served);
                UsageEntry entry = by == null ? null : billing.entry(billed, plan.turn(), by,
                        billing.streamed(plan.promptTokens(), by, accumulated), error == null ? UsageEntry.Outcome.OK : UsageEntry.Outcome.CUT);
                admitted.settle(entry);
                return recordStream(plan, by, accumulated, error, entry);
            }), served.servedBy());
        }).whenComplete((stream, error) -> {
            if (error != null) selection.recordCall(System.nanoTime() - billed.startNanos(), error);
        });
    }

    /** Who serves a stream, or null when it failed before its first chunk (nothing was served, nothing consumed). */
    private static ServedBy servedOrNull(ResilientCaller.ServedStream served) {
        CompletableFuture<ServedBy> by = served.servedBy().toCompletableFuture();
        return by.isDone() && !by.isCompletedExceptionally() ? by.getNow(null) : null;
    }

    /**
     * Stores what a stream delivered: whole, or, when it was cut, what the client saw, marked as truncated; a cut
     * before any content stores nothing but its bill.
     */
    private CompletionStage<?> recordStream(CallPlan plan, ServedBy servedBy, StreamAccumulator accumulated, Throwable error, UsageEntry entry) {
        if (servedBy == null) return CompletableFuture.completedFuture(null); // failed before its first chunk: nothing consumed
        ModelRegistry.Target served = registry.resolve(servedBy.model());
        if (error == null) return memory.record(plan.turn(), served, accumulated.message(), Map.of(), entry);
        if (accumulated.isEmpty()) return memory.recordUsage(entry);
        return memory.record(plan.turn(), served, accumulated.message(), Map.of("truncated", "true"), entry);
    }

    /** A route's deployment and chain when the call names a route, else the model it names. */
    private Selection select(ChatCall call) {
        Optional<Routing> routing = sla.router().route(call.request().model(), call.caller().user(), call.request().messages());
        if (routing.isEmpty()) return new Selection(List.of(registry.resolve(call.request().model())), Optional.empty());
        return new Selection(routing.get().models().stream().map(registry::resolve).toList(), routing);
    }

    /**
     * The call's tier ({@code X-SLA-Tier}), else its API key's, else its route's or its complexity's, else the default;
     * an unknown name is the caller's error.
     */
    private SlaTier tierOf(ChatCall call, Selection selection) {
        return call.slaTier().or(() -> call.caller().policy().tier()).or(() -> selection.routing().flatMap(Routing::tier))
                .map(name -> SlaTier.named(name, sla.tiers())).orElse(sla.defaultTier());
    }

    /** Builds the turn for the call's models or, when its context does not fit, for the model configured to take over. */
    private CompletionStage<CallPlan> plan(ChatCall call, Selection selection, int fallbacks) {
        ModelRegistry.Target planning = selection.planning();
        return CompletableFuture.completedFuture(planning).thenCompose(target -> memory.begin(call, target, selection.routeStrategy()))
                .thenApply(turn -> new CallPlan(turn, selection, tokens))
                .exceptionallyCompose(error -> {
                    String larger = contextDefaults.contextFallbacks().get(planning.spec().name());
                    Throwable cause = Failures.cause(error);
                    boolean overflow = cause instanceof ContextLengthExceededException && !(cause instanceof SummaryNeededException);
                    if (!overflow || larger == null || fallbacks >= MAX_CONTEXT_FALLBACKS) return CompletableFuture.failedFuture(cause);
                    return plan(call, new Selection(List.of(registry.resolve(larger)), selection.routing()), fallbacks + 1);
                });
    }
}
