package io.sluice.engine;

import io.sluice.domain.ModelSpec;
import io.sluice.domain.Usage;
import io.sluice.domain.error.Failures;
import io.sluice.engine.internal.RecordingPublisher;
import io.sluice.engine.internal.ReplayPublisher;
import io.sluice.engine.internal.SwitchBeforeFirstChunk;
import io.sluice.engine.models.ModelRegistry;
import io.sluice.engine.sla.ResilientCaller;
import io.sluice.ports.in.CacheStatus;
import io.sluice.ports.in.ChatStream;
import io.sluice.ports.in.ServedBy;
import io.sluice.ports.out.CachedAnswer;
import io.sluice.ports.out.TokenCounter;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The streams a streamed call is answered with: the upstreams' (recorded as delivered, ended once), a cache hit
 * replayed, or the route's fallback reply. Each ends its call when the client has been given all of it, or leaves.
 * Thread-safe.
 */
final class CallStreams {
    private final ResilientCaller caller;
    private final ModelRegistry registry;
    private final TokenCounter tokens;
    private final ResponseCaching caching;
    private final FallbackReplies fallbacks;
    private final Settlement settlement;
    private final Clock clock;

    CallStreams(ResilientCaller caller, ModelRegistry registry, TokenCounter tokens, ResponseCaching caching, FallbackReplies fallbacks,
                Settlement settlement, Clock clock) {
        this.settlement = settlement;
        this.caller = caller;
        this.registry = registry;
        this.tokens = tokens;
        this.caching = caching;
        this.fallbacks = fallbacks;
        this.clock = clock;
    }

    /**
     * The upstreams' stream: billed as delivered, kept by the cache when whole, and, when it fails before its first
     * chunk with a failure the route's fallback reply covers, going on as that reply.
     */
    ChatStream upstream(Call call, ResponseCaching.Lookup lookup) {
        ResilientCaller.ServedStream served = caller.stream(call.candidates(), call.tier, call.plan()::estimatedTokens, call.clientRetry(),
                call.request.priority(), call.span);
        // a deployment's stream latency is its time to the first chunk: what a client waiting on it feels
        served.servedBy().whenComplete((by, error) -> {
            call.selection.recordCall(System.nanoTime() - call.startNanos, error);
            if (error == null) call.span.event("sluice.first_chunk");
        });
        // a failure before the first chunk that the route's fallback reply covers goes on as that reply
        AtomicReference<Throwable> replaced = new AtomicReference<>();
        CompletableFuture<ServedBy> servedBy = served.servedBy().toCompletableFuture().exceptionallyCompose(error ->
                fallbacks.textFor(call, error).isPresent() ? CompletableFuture.completedFuture(FallbackReplies.servedBy(call))
                        : CompletableFuture.failedFuture(Failures.cause(error)));
        var upstream = new SwitchBeforeFirstChunk(served.chunks(), error -> fallbacks.textFor(call, error).map(text -> {
            replaced.set(Failures.cause(error));
            return fallbacks.stream(call, text);
        }));
        CompletableFuture<BigDecimal> cost = new CompletableFuture<>();
        RecordingPublisher chunks = new RecordingPublisher(upstream, (delivered, ending, error) -> {
            try {
                return ended(call, lookup, served, replaced.get(), cost, delivered, ending, error);
            } finally {
                caching.abandoned(lookup, null); // a no-op once the flight has landed; lands it if ending failed first
            }
        });
        return new ChatStream(call.plan().turn().conversationId(), chunks, servedBy, cost, lookup.status(), call.rateLimit());
    }

    /** Ends a call whose upstream stream ended: as the fallback reply it went on as, or billed as delivered. */
    private java.util.concurrent.CompletionStage<?> ended(Call call, ResponseCaching.Lookup lookup, ResilientCaller.ServedStream served, Throwable replaced,
                                                          CompletableFuture<BigDecimal> cost, io.sluice.engine.internal.StreamAccumulator delivered,
                                                          RecordingPublisher.Ending ending, Throwable error) {
        if (replaced != null) {
            cost.complete(BigDecimal.ZERO);
            caching.abandoned(lookup, replaced);
            return call.end(Call.Outcome.FALLBACK_REPLY, new Delivery(FallbackReplies.servedBy(call), delivered.isEmpty() ? null : delivered.message(), Usage.ZERO));
        }
        ServedBy by = servedOrNull(served);
        Call.Outcome outcome = switch (ending) {
            case COMPLETED -> Call.Outcome.COMPLETED;
            case CANCELLED -> Call.Outcome.CANCELLED;
            case CUT -> by == null ? Call.Outcome.FAILED : Call.Outcome.CUT;
        };
        ModelSpec spec = by == null ? null : registry.resolve(by.model()).spec();
        Delivery delivery = Delivery.streamed(by, delivered, call.plan().promptTokens(), tokens, spec == null ? null : spec.encoding())
                .abandoning(by == null ? null : served.abandoned().get());
        BigDecimal billed = spec == null || delivery.usage() == null ? BigDecimal.ZERO : spec.prices().cost(delivery.usage()); // as Settlement bills it
        cost.complete(settlement.costWith(call.plan(), delivery.abandoned(), billed));
        if (outcome == Call.Outcome.COMPLETED && delivery.hasReply()) {
            caching.answered(call, lookup, by, delivery.reply(), delivered.finishReason(), delivery.usage(), billed);
        } else {
            caching.abandoned(lookup, outcome == Call.Outcome.FAILED ? error : null);
        }
        if (error != null && (outcome == Call.Outcome.CUT || outcome == Call.Outcome.FAILED)) call.failedWith(error);
        return call.end(outcome, delivery);
    }

    /** The route's fallback reply as a stream, for a call refused or failed before it had one of its own. */
    ChatStream fallback(Call call, String text) {
        ServedBy by = FallbackReplies.servedBy(call);
        RecordingPublisher chunks = new RecordingPublisher(fallbacks.stream(call, text), (delivered, ending, error) ->
                call.end(Call.Outcome.FALLBACK_REPLY, new Delivery(by, delivered.isEmpty() ? null : delivered.message(), Usage.ZERO)));
        return new ChatStream(call.plan().turn().conversationId(), chunks, CompletableFuture.completedFuture(by),
                CompletableFuture.completedFuture(BigDecimal.ZERO), CacheStatus.BYPASS);
    }

    /** A hit, replayed as the stream the upstream sent, with its usage chunk; billed at zero with what it saved. */
    ChatStream replay(Call call, ResponseCaching.Lookup lookup) {
        CachedAnswer answer = lookup.answer();
        var replayed = ReplayPublisher.of(call.answerId(), answer.model(), clock.instant().getEpochSecond(), answer.message(),
                answer.finishReason(), answer.usage());
        RecordingPublisher chunks = new RecordingPublisher(replayed, (delivered, ending, error) ->
                call.end(Call.Outcome.CACHE_HIT, new Delivery(lookup.servedBy(), delivered.isEmpty() ? null : delivered.message(), answer.usage())
                        .cached(lookup.cacheHit())));
        return new ChatStream(call.plan().turn().conversationId(), chunks, CompletableFuture.completedFuture(lookup.servedBy()),
                CompletableFuture.completedFuture(BigDecimal.ZERO), CacheStatus.HIT);
    }

    /** Who serves a stream, or null when it failed before its first chunk (nothing was served, nothing consumed). */
    private static ServedBy servedOrNull(ResilientCaller.ServedStream served) {
        CompletableFuture<ServedBy> by = served.servedBy().toCompletableFuture();
        return by.isDone() && !by.isCompletedExceptionally() ? by.getNow(null) : null;
    }
}
