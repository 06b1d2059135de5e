package io.sluice.engine;

import io.sluice.engine.memory.SummaryPolicy;
import io.sluice.engine.memory.ContextDefaults;
import io.sluice.engine.memory.TurnMemory;
import io.sluice.engine.models.ModelRegistry;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.error.ContextLengthExceededException;
import io.sluice.domain.error.Failures;
import io.sluice.domain.error.SummaryNeededException;
import io.sluice.domain.sla.SlaTier;
import io.sluice.engine.budget.BudgetGuard;
import io.sluice.engine.cache.NoContextCache;
import io.sluice.engine.limits.FlowControl;
import io.sluice.engine.routing.Routing;
import io.sluice.engine.semantic.LexicalEmbedder;
import io.sluice.engine.semantic.SemanticRecall;
import io.sluice.engine.sla.ResilientCaller;
import io.sluice.ports.in.CallTimings;
import io.sluice.ports.in.ChatCall;
import io.sluice.ports.in.ChatCompletions;
import io.sluice.ports.in.ChatResult;
import io.sluice.ports.in.ChatStream;
import io.sluice.ports.out.CallEvents;
import io.sluice.ports.out.ContextCache;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.TokenCounter;
import io.sluice.ports.out.StorageHealth;
import io.sluice.ports.out.UsageLedger;
import io.sluice.engine.cache.ResponseCachePolicy;
import io.sluice.ports.in.CacheStatus;
import io.sluice.ports.out.CachedAnswer;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs one chat call as a {@link Call} through its stages: open (the models it may be served by and its SLA tier) →
 * context (its turn from the conversation's memory, {@link TurnMemory}) → admit (rate limits and budget hold,
 * {@link CallAdmission}) → route and execute (the upstreams, {@link ResilientCaller}) → end (bill, store and settle,
 * {@link Settlement}), which every path reaches exactly once. Build one with {@link #builder}. Thread-safe and
 * non-blocking; every I/O step is a port that completes asynchronously.
 */
public final class ChatService implements ChatCompletions {
    /** Longest chain of context-window fallbacks followed; it also stops a misconfigured cycle. */
    private static final int MAX_CONTEXT_FALLBACKS = 3;

    private final ModelRegistry registry;
    private final TokenCounter tokens;
    private final ContextDefaults contextDefaults;
    private final SlaPolicy sla;
    private final ResilientCaller caller;
    private final TurnMemory memory;
    private final CallAdmission admission;
    private final java.util.concurrent.Executor promptWorkers;
    private final Settlement settlement;
    private final CallEvents events;
    private final EmbeddingService embeddings;
    private final ResponseCaching caching;
    private final FallbackReplies fallbacks;
    private final CallStreams streams;
    private final Clock clock;
    private final io.sluice.ports.out.CallTracer tracer;

    private ChatService(Builder b) {
        this.tracer = b.tracer;
        this.registry = b.registry;
        this.tokens = b.tokens;
        this.contextDefaults = b.context;
        this.sla = b.sla;
        this.events = b.events;
        this.caller = new ResilientCaller(sla.circuits(), sla.retries(), sla.events());
        this.memory = new TurnMemory(b.registry, b.store, b.cache, b.tokens, b.clock, b.context, b.summaries, b.recall, b.ledger, b.events);
        this.admission = new CallAdmission(b.flow, b.budgets, b.storage);
        this.promptWorkers = b.promptWorkers != null ? b.promptWorkers : PromptWorkers.shared();
        this.settlement = new Settlement(b.registry, memory, b.ledger, b.clock, b.events);
        this.caching = new ResponseCaching(b.responseCache, b.clock);
        this.fallbacks = new FallbackReplies(b.fallbackReplies, b.clock);
        this.streams = new CallStreams(caller, b.registry, b.tokens, caching, fallbacks, settlement, b.clock);
        this.clock = b.clock;
        this.embeddings = new EmbeddingService(b.registry, b.tokens, b.sla, caller, b.flow, b.budgets, b.storage, settlement, b.clock);
    }

    /** Embeddings calls on this service's models, keys, circuits, limits, budgets and ledger. */
    public io.sluice.ports.in.Embeddings embeddings() {
        return embeddings;
    }

    /** A chat service over the models of {@code registry}, storing conversations in {@code store}; the rest has defaults. */
    public static Builder builder(ModelRegistry registry, ConversationStore store, TokenCounter tokens) {
        return new Builder(registry, store, tokens);
    }

    @Override
    public CompletionStage<ChatResult> complete(ChatCall request) {
        return run(request, this::answerFromCache, this::completeUpstream, fallbacks::complete, true);
    }

    @Override
    public CompletionStage<ChatStream> stream(ChatCall request) {
        // a stream's deployment latency is recorded at its first chunk (CallStreams), not when the stream is handed over
        return run(request, (call, lookup) -> CompletableFuture.completedFuture(streams.replay(call, lookup)),
                (call, lookup) -> CompletableFuture.completedFuture(streams.upstream(call, lookup)), this::fallbackStream, false);
    }

    /**
     * The stages of every call, plain or streamed: open, context, the response cache, then {@code hit} for a hit, or
     * admission and {@code upstream}. A failure lands the flight the call leads, if any, and is answered by
     * {@code fallback} when the route's fallback reply covers it, else ends the call. A deployment's latency is recorded
     * for calls that went upstream themselves (not hits, not followers of an identical call): on failure always, on
     * success when {@code recordSuccess}.
     */
    private <T> CompletionStage<T> run(ChatCall request, BiFunction<Call, ResponseCaching.Lookup, CompletionStage<T>> hit,
                                       BiFunction<Call, ResponseCaching.Lookup, CompletionStage<T>> upstream,
                                       BiFunction<Call, Throwable, CompletionStage<T>> fallback, boolean recordSuccess) {
        return open(request).thenCompose(call -> {
            AtomicReference<ResponseCaching.Lookup> looked = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CompletionStage<T> answered = context(call).thenCompose(caching::lookup).thenCompose(lookup -> {
                looked.set(lookup);
                events.cache(lookup.status().header());
                return lookup.hit() ? hit.apply(call, lookup) : admit(call).thenCompose(admitted -> upstream.apply(call, lookup));
            }).whenComplete((ok, error) -> {
                if (error == null) return;
                failure.set(error);
                caching.abandoned(looked.get(), upstreamFailure(call, error));
            }).exceptionallyCompose(error -> fallback.apply(call, error));
            return call.endIfFails(answered).whenComplete((ok, error) -> {
                // a deployment that failed failed, even when the route's fallback reply answered for it
                boolean ownCall = !call.hasFollowed() && (looked.get() == null || !looked.get().hit());
                if (ownCall && (recordSuccess || failure.get() != null)) call.selection.recordCall(System.nanoTime() - call.startNanos, failure.get());
            });
        });
    }

    /** The route's fallback reply as a stream, when it covers {@code error}; else {@code error}. */
    private CompletionStage<ChatStream> fallbackStream(Call call, Throwable error) {
        return fallbacks.textFor(call, error).map(text -> CompletableFuture.completedFuture(streams.fallback(call, text)))
                .orElseGet(() -> CompletableFuture.failedFuture(Failures.cause(error)));
    }

    private CompletionStage<ChatResult> completeUpstream(Call call, ResponseCaching.Lookup lookup) {
        long upstreamStart = System.nanoTime();
        return caller.complete(call.candidates(), call.tier, call.plan()::estimatedTokens, call.clientRetry(), call.request.priority(), call.span)
                .thenCompose(served -> {
            long storeStart = System.nanoTime();
            ChatResponse response = served.value();
            BigDecimal answerCost = registry.resolve(served.by().model()).spec().prices().cost(response.usage()); // as Settlement bills it
            caching.answered(call, lookup, served.by(), response.message(), response.finishReason(), response.usage(), answerCost);
            BigDecimal cost = settlement.costWith(call.plan(), served.abandoned(), answerCost);
            return call.end(Call.Outcome.COMPLETED, new Delivery(served.by(), response.message(), response.usage()).abandoning(served.abandoned()))
                    .thenApply(stored -> new ChatResult(response, call.plan().turn().conversationId(), served.by(),
                            new CallTimings(storeStart - upstreamStart, System.nanoTime() - storeStart), cost, lookup.status(), call.rateLimit()));
        });
    }

    /** A hit: nothing goes upstream; the call is billed at zero with what it saved, and stored like any other turn. */
    private CompletionStage<ChatResult> answerFromCache(Call call, ResponseCaching.Lookup lookup) {
        long storeStart = System.nanoTime();
        CachedAnswer answer = lookup.answer();
        ChatResponse response = new ChatResponse(call.answerId(), answer.model(), clock.instant().getEpochSecond(), answer.message(),
                answer.finishReason(), answer.usage());
        Delivery delivery = new Delivery(lookup.servedBy(), answer.message(), answer.usage()).cached(lookup.cacheHit());
        return call.end(Call.Outcome.CACHE_HIT, delivery).thenApply(stored -> new ChatResult(response, call.plan().turn().conversationId(),
                lookup.servedBy(), new CallTimings(0, System.nanoTime() - storeStart), BigDecimal.ZERO, CacheStatus.HIT));
    }

    /**
     * What the calls waiting on this one should get when it failed: the upstreams' failure, or nothing (they go
     * upstream themselves) when it failed for its own reasons: its client left, or its own limits or budget refused it.
     */
    private static Throwable upstreamFailure(Call call, Throwable error) {
        // a deadline is the leader's own too: the calls that waited may have longer ones
        boolean own = call.admission() == null || Failures.cause(error) instanceof ClientGoneException
                || Failures.cause(error) instanceof io.sluice.domain.error.UpstreamTimeoutException;
        return own ? null : Failures.cause(error);
    }

    @Override
    public CompletionStage<Integer> countPromptTokens(ChatCall request) {
        try {
            var planning = select(request).planning();
            io.sluice.domain.Encoding encoding = planning.spec().encoding();
            int count = io.sluice.domain.context.ContextBuilder.REPLY_PRIMING_TOKENS;
            for (var m : request.request().messages()) count += tokens.countMessage(m, encoding, planning.provider().mediaRule());
            for (var t : request.request().options().tools()) {
                count += tokens.countText(t.name(), encoding) + tokens.countText(t.description(), encoding) + tokens.countText(t.parametersJson(), encoding);
            }
            return CompletableFuture.completedFuture(count);
        } catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
    }

    /** The call, with the models that may serve it (its route's chain, or the model it names) and its tier; or why it is refused. */
    private CompletionStage<Call> open(ChatCall request) {
        io.sluice.ports.out.TraceSpan span = CallSpans.open(tracer, request);
        try {
            Selection selection = select(request);
            return CompletableFuture.completedFuture(new Call(request, selection, tierOf(request, selection), settlement, span));
        } catch (RuntimeException refused) {
            CallSpans.refused(span, refused);
            events.ended("refused");
            return CompletableFuture.failedFuture(refused);
        }
    }

    /**
     * Builds the call's context. A large prompt is counted on the prompt workers, never on the caller's thread (an
     * event loop, which a megabyte prompt would hold for most of a second while every other call on it waits); when
     * they are all busy with a queue of such prompts, the call is refused as an overload.
     */
    private CompletionStage<Call> context(Call call) {
        io.sluice.ports.out.TraceSpan span = CallSpans.stage(call, "sluice.context");
        CompletionStage<CallPlan> planned;
        if (promptChars(call.request) < LARGE_PROMPT_CHARS) {
            try {
                planned = plan(call.request, call.selection, 0);
            } catch (RuntimeException refused) { // the context's span ends either way
                planned = CompletableFuture.failedFuture(refused);
            }
        } else {
            try {
                planned = CompletableFuture.supplyAsync(() -> plan(call.request, call.selection, 0), promptWorkers)
                        .thenCompose(java.util.function.Function.identity());
            } catch (java.util.concurrent.RejectedExecutionException busy) {
                planned = CompletableFuture.failedFuture(new io.sluice.domain.error.GatewayOverloadedException("Too many large prompts are being counted; try again shortly"));
            }
        }
        return planned.whenComplete((plan, error) -> {
            if (error == null) {
                CallSpans.contextBuilt(span, plan);
            } else {
                span.failed(CallSpans.errorType(error));
                span.end();
            }
        }).thenApply(call::planned);
    }

    /** Prompts of more characters than this are counted off the caller's thread. */
    static final int LARGE_PROMPT_CHARS = 64 * 1024;

    private static long promptChars(ChatCall call) {
        long chars = 0;
        for (var m : call.request().messages()) {
            if (m.content() != null) chars += m.content().length();
            for (var t : m.toolCalls()) chars += t.argumentsJson().length();
        }
        return chars;
    }

    /** Admits the call; a call whose client left while it waited is not sent upstream (its admission is undone as it ends). */
    private CompletionStage<Call> admit(Call call) {
        return admission.admit(call).thenApply(admitted -> {
            Call ready = call.admitted(admitted);
            if (call.request.clientGone().getAsBoolean()) throw new ClientGoneException();
            return ready;
        });
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
        int replyReserve = contextDefaults.replyReserve(call.request().options().maxTokens(), planning.spec().contextWindow());
        return CompletableFuture.completedFuture(planning)
                .thenCompose(target -> memory.begin(call, target, selection.routeStrategy(), replyReserve))
                .thenApply(turn -> new CallPlan(turn, selection, tokens, replyReserve))
                .exceptionallyCompose(error -> {
                    String larger = contextDefaults.contextFallbacks().get(planning.spec().name());
                    Throwable cause = Failures.cause(error);
                    boolean overflow = cause instanceof ContextLengthExceededException && !(cause instanceof SummaryNeededException);
                    if (!overflow || larger == null || fallbacks >= MAX_CONTEXT_FALLBACKS) return CompletableFuture.failedFuture(cause);
                    return plan(call, new Selection(List.of(registry.resolve(larger)), selection.routing()), fallbacks + 1);
                });
    }

    /**
     * Assembles a {@link ChatService}. Defaults: no context cache, the system clock, {@link ContextDefaults#ofDefaults()},
     * {@link SummaryPolicy#ofDefaults()}, no semantic recall, no response cache, {@link SlaPolicy#ofDefaults()}, no ledger (usage of
     * stateless calls is not kept; a stored turn keeps its bill with its messages), no rate limits, no budgets, no events.
     * Not thread-safe; {@link #build()} makes a thread-safe service.
     */
    public static final class Builder {
        private final ModelRegistry registry;
        private final ConversationStore store;
        private final TokenCounter tokens;
        private ContextCache cache = new NoContextCache();
        private Clock clock = Clock.systemUTC();
        private ContextDefaults context = ContextDefaults.ofDefaults();
        private SummaryPolicy summaries = SummaryPolicy.ofDefaults();
        private SemanticRecall recall;
        private SlaPolicy sla = SlaPolicy.ofDefaults();
        private UsageLedger ledger = UsageLedger.NONE;
        private FlowControl flow = FlowControl.none();
        private BudgetGuard budgets = BudgetGuard.none();
        private CallEvents events = CallEvents.NONE;
        private io.sluice.ports.out.CallTracer tracer = io.sluice.ports.out.CallTracer.NONE;
        private StorageHealth storage = StorageHealth.ALWAYS;
        private java.util.concurrent.Executor promptWorkers;
        private ResponseCachePolicy responseCache = ResponseCachePolicy.OFF;
        private java.util.Map<String, io.sluice.domain.sla.FallbackReply> fallbackReplies = java.util.Map.of();

        private Builder(ModelRegistry registry, ConversationStore store, TokenCounter tokens) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.store = Objects.requireNonNull(store, "store");
            this.tokens = Objects.requireNonNull(tokens, "tokens");
        }

        public Builder contextCache(ContextCache value) {
            cache = Objects.requireNonNull(value, "contextCache");
            return this;
        }

        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder context(ContextDefaults value) {
            context = Objects.requireNonNull(value, "context");
            return this;
        }

        public Builder summaries(SummaryPolicy value) {
            summaries = Objects.requireNonNull(value, "summaries");
            return this;
        }

        /** Semantic recall for the {@code semantic(k)} strategy; by default, lexical vectors over up to 200 candidates. */
        public Builder recall(SemanticRecall value) {
            recall = value;
            return this;
        }

        public Builder sla(SlaPolicy value) {
            sla = Objects.requireNonNull(value, "sla");
            return this;
        }

        public Builder ledger(UsageLedger value) {
            ledger = Objects.requireNonNull(value, "ledger");
            return this;
        }

        public Builder rateLimits(FlowControl value) {
            flow = Objects.requireNonNull(value, "rateLimits");
            return this;
        }

        /** Where large prompts are counted; by default {@link PromptWorkers#shared()}. May refuse work when busy. */
        public Builder promptWorkers(java.util.concurrent.Executor value) {
            promptWorkers = Objects.requireNonNull(value, "promptWorkers");
            return this;
        }

        /** Whether the database is reachable: while it is not, calls are refused before they go upstream. */
        public Builder storageHealth(StorageHealth value) {
            storage = Objects.requireNonNull(value, "storageHealth");
            return this;
        }

        /** The response cache and coalescing of identical calls; by default {@link ResponseCachePolicy#OFF}. */
        public Builder responseCache(ResponseCachePolicy value) {
            responseCache = Objects.requireNonNull(value, "responseCache");
            return this;
        }

        /** The fallback reply of each route that has one, by route name; by default none. */
        public Builder fallbackReplies(java.util.Map<String, io.sluice.domain.sla.FallbackReply> value) {
            fallbackReplies = java.util.Map.copyOf(value);
            return this;
        }

        public Builder budgets(BudgetGuard value) {
            budgets = Objects.requireNonNull(value, "budgets");
            return this;
        }

        public Builder events(CallEvents value) {
            events = Objects.requireNonNull(value, "events");
            return this;
        }

        /** Where each call's spans go; by default nowhere. */
        public Builder tracer(io.sluice.ports.out.CallTracer value) {
            tracer = Objects.requireNonNull(value, "tracer");
            return this;
        }

        public ChatService build() {
            if (recall == null) recall = new SemanticRecall(store, new LexicalEmbedder(io.sluice.domain.context.LexicalVectors.DEFAULT_DIMENSIONS), 200);
            return new ChatService(this);
        }
    }
}
