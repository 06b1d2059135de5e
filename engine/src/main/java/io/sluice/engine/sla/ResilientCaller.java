package io.sluice.engine.sla;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.Usage;
import io.sluice.domain.error.Failures;
import io.sluice.domain.error.RetriableException;
import io.sluice.domain.error.UpstreamTimeoutException;
import io.sluice.domain.error.UpstreamUnavailableException;
import io.sluice.domain.sla.FailureClass;
import io.sluice.domain.sla.RetrySettings;
import io.sluice.domain.sla.SlaTier;
import io.sluice.engine.internal.TimeoutScheduler;
import io.sluice.ports.in.ServedBy;
import io.sluice.ports.out.TraceSpan;
import io.sluice.ports.out.UpstreamEvents;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Sends a call to the models of its degradation chain and the endpoints that serve them, and keeps trying within the
 * tier's deadline: the retry table ({@link FailureClass}) says whether and when; each attempt goes to the first model
 * of the chain (from where the call stands) that has an endpoint not yet failed this call, whose circuit is not open
 * and that has a key neither cooling down, disabled nor over its budgets; healthy endpoints before degraded ones,
 * weighted. Once every endpoint of the chain has failed, attempts go back to the failed ones, after a backoff. A
 * stream is retried only until its first chunk. Thread-safe.
 */
public final class ResilientCaller {
    private static final System.Logger LOG = System.getLogger(ResilientCaller.class.getName());
    /** The calls waiting for a free key, served by lane. */
    private final KeyWaits waits = new KeyWaits();

    private final Circuits circuits;
    private final RetrySettings retries;
    private final UpstreamEvents events;

    /** How an attempt failed, as {@link UpstreamEvents#failed} names it: 429s apart from 503s apart from other 5xx. */
    static String errorType(Throwable failure) {
        return switch (io.sluice.domain.error.Failures.cause(failure)) {
            case io.sluice.domain.error.UpstreamRateLimitedException e -> "rate_limited";
            case io.sluice.domain.error.UpstreamTimeoutException e -> "timeout";
            case io.sluice.domain.error.UpstreamUnavailableException e -> e.status() == 0 ? "connection"
                    : e.status() == 503 || e.status() == 529 ? "unavailable" : "server_error";
            default -> "rejected";
        };
    }

    /** Why a failure is tried again, as the retry table classes it: {@code retry_now}, {@code retry_later}, {@code switch_key}. */
    static String retryReason(Throwable failure) {
        return FailureClass.of(failure).name().toLowerCase(java.util.Locale.ROOT);
    }

    public ResilientCaller(Circuits circuits, RetrySettings retries) {
        this(circuits, retries, UpstreamEvents.NONE);
    }

    public ResilientCaller(Circuits circuits, RetrySettings retries, UpstreamEvents events) {
        this.circuits = circuits;
        this.retries = retries;
        this.events = events;
    }

    UpstreamEvents events() {
        return events;
    }

    /**
     * One model a call may be served by: its endpoints, and the request as that model's upstream knows it (null for a
     * call that is not a chat, see {@link #call}).
     */
    public record Candidate(String model, List<Endpoint> endpoints, ChatRequest request) {
        public Candidate {
            endpoints = List.copyOf(endpoints);
        }
    }

    /**
     * An answer and who gave it; {@code abandoned}: the attempt of a slow model that was called off when this one
     * answered first (its prompt was consumed upstream, and is billed), or null.
     */
    public record Served<T>(T value, ServedBy by, ServedBy abandoned) {
        public Served(T value, ServedBy by) {
            this(value, by, null);
        }

        Served<T> abandoning(ServedBy other) {
            return new Served<>(value, by, other);
        }
    }

    /**
     * Completes a call on the first of {@code candidates} that can serve it, falling down the chain as models fail.
     *
     * @param tokenEstimate the prompt and reply tokens the call may use, asked only when a key has a token budget
     */
    public CompletionStage<Served<ChatResponse>> complete(List<Candidate> candidates, SlaTier tier, LongSupplier tokenEstimate) {
        return complete(candidates, tier, tokenEstimate, false);
    }

    /**
     * {@link #complete(List, SlaTier, LongSupplier)} for a call that may be a client's retry of one already counted
     * against the circuits ({@code clientRetry}): its failures then count only in a half-open circuit's trial.
     */
    public CompletionStage<Served<ChatResponse>> complete(List<Candidate> candidates, SlaTier tier, LongSupplier tokenEstimate,
                                                          boolean clientRetry) {
        return complete(candidates, tier, tokenEstimate, clientRetry, io.sluice.domain.limits.Priority.NORMAL);
    }

    /** {@link #complete(List, SlaTier, LongSupplier, boolean)} in a lane: where it waits for a key, higher lanes go first. */
    public CompletionStage<Served<ChatResponse>> complete(List<Candidate> candidates, SlaTier tier, LongSupplier tokenEstimate,
                                                          boolean clientRetry, io.sluice.domain.limits.Priority priority) {
        return complete(candidates, tier, tokenEstimate, clientRetry, priority, TraceSpan.NONE);
    }

    /** {@link #complete(List, SlaTier, LongSupplier, boolean, io.sluice.domain.limits.Priority)}, each attempt a span under {@code span}. */
    public CompletionStage<Served<ChatResponse>> complete(List<Candidate> candidates, SlaTier tier, LongSupplier tokenEstimate,
                                                          boolean clientRetry, io.sluice.domain.limits.Priority priority, TraceSpan span) {
        CallAttempts call = new CallAttempts(circuits, candidates, tier, tokenEstimate, clientRetry);
        call.priority = priority;
        call.span = span;
        if (tier.fallbackAfter().isPresent() && candidates.size() > 1) return new HedgedCall(this, call, tier.fallbackAfter().get()).run();
        CompletableFuture<Served<ChatResponse>> result = new CompletableFuture<>();
        attempt(call, result, completion(call));
        return result;
    }

    /** One attempt of a chat call: the chosen endpoint's answer, which {@link CallAttempts#abandon()} can call off while it is awaited. */
    Function<CallAttempts.Choice, CompletionStage<Served<ChatResponse>>> completion(CallAttempts call) {
        return choice -> {
            CompletableFuture<ChatResponse> sent = choice.key().provider().complete(call.candidates.get(choice.candidate()).request(),
                    call.tier.connectTimeout()).toCompletableFuture();
            if (!call.sent(choice, () -> sent.cancel(true))) sent.cancel(true); // abandoned meanwhile: reset at once
            return sent.thenApply(response -> {
                settle(choice, response.usage());
                return new Served<>(response, call.servedBy(choice));
            });
        };
    }

    /**
     * A call that is not a chat (embeddings) to one model's endpoints, under the same policy as a chat: the keys' budgets
     * and cooldowns, the circuits, the retry table and failover across endpoints, within the tier's deadline.
     *
     * @param send the attempt on the chosen endpoint's provider, with the tier's connect timeout
     * @param usedTokens the tokens an answer consumed, for the key's token budget
     */
    public <T> CompletionStage<Served<T>> call(String model, List<Endpoint> endpoints, SlaTier tier, LongSupplier tokenEstimate, boolean clientRetry,
                                               java.util.function.BiFunction<io.sluice.ports.out.LlmProvider, Duration, CompletionStage<T>> send,
                                               Function<T, Usage> usedTokens) {
        CallAttempts call = new CallAttempts(circuits, List.of(new Candidate(model, endpoints, null)), tier, tokenEstimate, clientRetry);
        CompletableFuture<Served<T>> result = new CompletableFuture<>();
        attempt(call, result, choice -> send.apply(choice.key().provider(), tier.connectTimeout()).thenApply(value -> {
            settle(choice, usedTokens.apply(value));
            return new Served<>(value, call.servedBy(choice));
        }));
        return result;
    }

    /** A single model's call: {@link #complete(List, SlaTier, LongSupplier)} with a chain of one. */
    public CompletionStage<ChatResponse> complete(String model, List<Endpoint> endpoints, ChatRequest request, SlaTier tier) {
        return complete(List.of(new Candidate(model, endpoints, request)), tier, () -> 0).thenApply(Served::value);
    }

    static void settle(CallAttempts.Choice choice, Usage usage) {
        if (choice.tokens() > 0 && usage != null) choice.key().settle(System.nanoTime(), choice.tokens(), usage.totalTokens());
    }

    /** Runs attempts until one succeeds, the retry table says stop, or the deadline would pass; a bug fails the call, never strands it. */
    <T> void attempt(CallAttempts call, CompletableFuture<T> result, Function<CallAttempts.Choice, CompletionStage<T>> send) {
        try {
            nextAttempt(call, result, send);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    private <T> void nextAttempt(CallAttempts call, CompletableFuture<T> result, Function<CallAttempts.Choice, CompletionStage<T>> send) {
        if (call.isAbandoned()) {
            result.completeExceptionally(new CancellationException("another model answered first"));
            return;
        }
        if (call.remainingMillis() <= 0) {
            result.completeExceptionally(call.last != null ? call.last : deadlineExceeded(call));
            return;
        }
        long now = System.nanoTime();
        if (waits.behindOthers(call, now)) { // a call of a higher lane waits for a key this one could take: it goes first
            waits.park(call, () -> attempt(call, result, send), now, now);
            return;
        }
        CallAttempts.Choice choice = call.choose();
        if (choice == null) {
            long readyAt = call.readyAt();
            long wait = readyAt - System.nanoTime();
            if (readyAt == Long.MAX_VALUE || TimeUnit.NANOSECONDS.toMillis(wait) >= call.remainingMillis()) {
                result.completeExceptionally(call.giveUp("No upstream endpoint of model '" + call.model() + "' can take a request now"));
                return;
            }
            // never look again at once (half-open circuits may be out of permits while keys are free); then in lane order
            waits.park(call, () -> attempt(call, result, send), readyAt, now);
            return;
        }
        call.attempts++;
        AttemptSpan span = AttemptSpan.start(call, choice);
        events.inFlight(choice.endpoint().name(), 1);
        CompletableFuture<T> sending;
        try {
            sending = sendWithin(call, choice, span.sending(send), call.remainingMillis());
        } catch (RuntimeException e) { // a provider that throws instead of failing its answer: this call fails, nothing else
            sending = CompletableFuture.failedFuture(e);
        }
        sending.whenComplete((value, error) -> {
            long latency = System.nanoTime() - choice.startedAt();
            boolean wasSent = call.wasSent(choice);
            Runnable callOff = call.answered(error == null);
            span.ended(call, error);
            events.inFlight(choice.endpoint().name(), -1);
            if (error != null && call.isAbandoned()) {
                // called off: when another model answered first, this one was slow, not failed (a client that left says
                // nothing of it); a half-open trial's permit comes back only with a result, and an unfinished trial does
                // not show the endpoint is back
                if (call.abandonedAsSlow() && wasSent) choice.endpoint().record(latency, false);
                if (choice.circuit().isHalfOpen()) choice.circuit().recordFailure();
                result.completeExceptionally(new CancellationException("the call's attempts were called off"));
                return;
            }
            if (error == null) {
                choice.endpoint().record(latency, false);
                choice.circuit().recordSuccess();
                choice.key().accepted();
                result.complete(value);
                return;
            }
            Throwable failure = Failures.cause(error);
            if (failure instanceof TimeoutException) {
                // past the deadline, the request is reset rather than left to hold its connection until the idle timeout
                if (callOff != null && !(failure instanceof QueuedPastDeadline)) callOff.run();
                if (!(failure instanceof QueuedPastDeadline)) { // a call that never got a permit never reached the endpoint
                    choice.endpoint().record(latency, true);
                    call.recordFailure(choice);
                } else if (choice.circuit().isHalfOpen()) {
                    // a half-open circuit has a few trial permits and takes one back only with a result: unrecorded, the
                    // permit is lost, and once all are the circuit stays half-open refusing every call for good. This trial
                    // never got through because the endpoint's earlier calls still hold every concurrency slot: it is not back
                    choice.circuit().recordFailure();
                }
                // as when the deadline passes between attempts: an upstream error seen earlier says more than the timeout
                result.completeExceptionally(call.last != null ? call.last : deadlineExceeded(call));
                return;
            }
            Duration delay = onFailure(call, choice, failure);
            choice.endpoint().record(latency, endpointsFault(failure));
            String errorType = errorType(failure);
            choice.endpoint().failed(errorType);
            events.failed(choice.endpoint().name(), errorType);
            if (delay == null || call.attempts >= retries.maxAttempts() || delay.toMillis() >= call.remainingMillis()) {
                result.completeExceptionally(failure);
                return;
            }
            events.retried(call.candidates.get(choice.candidate()).model(), choice.endpoint().name(), retryReason(failure));
            TimeoutScheduler.later(delay, () -> attempt(call, result, send));
        });
    }

    /** The deadline passed (or all but) while the attempt still waited for a concurrency permit: nothing was sent. */
    private static final class QueuedPastDeadline extends TimeoutException {}

    /** Less time than this left when a queued attempt gets its permit, and it is not sent. */
    private static final Duration MIN_TIME_TO_SEND = Duration.ofMillis(50);

    /**
     * Sends an attempt within the endpoint's concurrency limit, when it has one: waiting for a permit in its lane if the
     * limit is reached, and telling the limit how the attempt went (overload signals shrink it; the request's own faults do not).
     * Fails with a {@link TimeoutException} after {@code timeoutMillis}; a {@link QueuedPastDeadline} when the attempt
     * was still queued, which then leaves the queue so that no permit is spent on it later.
     */
    private static <T> CompletableFuture<T> sendWithin(CallAttempts call, CallAttempts.Choice choice, Function<CallAttempts.Choice, CompletionStage<T>> send,
                                                       long timeoutMillis) {
        var gate = choice.endpoint().concurrency();
        if (gate.isEmpty()) return TimeoutScheduler.within(send.apply(choice).toCompletableFuture(), timeoutMillis);
        CompletableFuture<AdaptiveConcurrency.Permit> acquiring = gate.get().acquire(call.priority).toCompletableFuture();
        // an attempt abandoned while it waits leaves the queue, and is never sent
        if (!call.waiting(() -> acquiring.cancel(false))) acquiring.cancel(false);
        CompletableFuture<T> sent = acquiring.thenCompose(permit -> {
            // a permit handed over with next to no time left is not worth a request: it would only time out, upstream
            if (call.deadline - System.nanoTime() < MIN_TIME_TO_SEND.toNanos()) {
                permit.end(AdaptiveConcurrency.Outcome.IGNORED);
                return CompletableFuture.failedFuture(new QueuedPastDeadline());
            }
            CompletionStage<T> answer;
            try {
                answer = send.apply(choice);
            } catch (RuntimeException e) {
                permit.end(AdaptiveConcurrency.Outcome.IGNORED);
                throw e;
            }
            return answer.whenComplete((value, error) -> permit.end(outcomeOf(call, error)));
        });
        return TimeoutScheduler.within(sent, timeoutMillis)
                // cancelling succeeds only while the attempt still waits: it leaves the queue, and was never sent
                .exceptionallyCompose(error -> CompletableFuture.failedFuture(
                        Failures.cause(error) instanceof TimeoutException && acquiring.cancel(false) ? new QueuedPastDeadline() : Failures.cause(error)));
    }

    /**
     * What an attempt's end tells the concurrency limit: overload signals shrink it (a request reset at the deadline is
     * one: the upstream did not answer in time), the request's own faults and a call-off for another side do not.
     */
    private static AdaptiveConcurrency.Outcome outcomeOf(CallAttempts call, Throwable error) {
        if (error == null) return AdaptiveConcurrency.Outcome.SUCCESS;
        Throwable cause = Failures.cause(error);
        if (cause instanceof CancellationException) return call.isAbandoned() ? AdaptiveConcurrency.Outcome.IGNORED : AdaptiveConcurrency.Outcome.DROPPED;
        return FailureClass.of(cause) == FailureClass.NEVER ? AdaptiveConcurrency.Outcome.IGNORED : AdaptiveConcurrency.Outcome.DROPPED;
    }

    /** 5xx, timeouts and resets are the endpoint's fault; 429s (the key's budget) and 4xx (the request's) are not. */
    private static boolean endpointsFault(Throwable failure) {
        FailureClass kind = FailureClass.of(failure);
        return kind == FailureClass.RETRY_NOW || failure instanceof UpstreamUnavailableException;
    }

    /** Records what a failure says about the endpoint and key; returns the delay before the next attempt, or null for none. */
    private Duration onFailure(CallAttempts call, CallAttempts.Choice choice, Throwable failure) {
        call.last = failure;
        long now = System.nanoTime();
        return switch (FailureClass.of(failure)) {
            case NEVER -> {
                choice.circuit().recordSuccess(); // the endpoint answered properly: the request was at fault
                yield null;
            }
            case SWITCH_KEY -> {
                choice.circuit().recordSuccess();
                choice.key().disable(now);
                LOG.log(System.Logger.Level.ERROR, "upstream key " + choice.key().label() + " of endpoint " + choice.endpoint().name()
                        + " was refused; disabled for " + choice.key().disabledFor(now).toSeconds() + " s (POST /admin/upstreams/keys/enable enables it)");
                yield Duration.ZERO;
            }
            case RETRY_LATER -> {
                Duration asked = failure instanceof RetriableException r ? r.retryAfter().orElse(null) : null;
                Duration pause = asked != null ? retries.retryAfter(asked) : retries.backoff(call.attempts, ThreadLocalRandom.current().nextDouble());
                if (failure instanceof UpstreamUnavailableException) {
                    call.recordFailure(choice);         // 503: the endpoint is overloaded
                    call.markFailed(choice);
                } else {
                    choice.circuit().recordSuccess();   // 429: this key is limited, the endpoint is fine
                }
                choice.key().coolFor(pause, now);
                yield Duration.ZERO;                    // another key may be free now; if none is, attempt() waits
            }
            case RETRY_NOW -> {
                call.recordFailure(choice);
                call.markFailed(choice);
                // fail over at once; back off only before going back to an endpoint that already failed
                yield call.hasUntried() ? Duration.ZERO : retries.backoff(call.attempts - 1, ThreadLocalRandom.current().nextDouble());
            }
        };
    }

    private static UpstreamTimeoutException deadlineExceeded(CallAttempts call) {
        return new UpstreamTimeoutException("The call did not complete within the '" + call.tier.name() + "' deadline of "
                + call.tier.deadline().toMillis() + " ms", null);
    }

    /**
     * A stream that fails over until its first chunk: each attempt is given the tier's time-to-first-chunk, and a
     * failure before the first chunk starts another attempt; after it, chunks and failures pass straight through.
     */
    public ServedStream stream(List<Candidate> candidates, SlaTier tier, LongSupplier tokenEstimate) {
        return stream(candidates, tier, tokenEstimate, false);
    }

    /** {@link #stream(List, SlaTier, LongSupplier)}, counting failures against circuits as {@link #complete(List, SlaTier, LongSupplier, boolean)} does. */
    public ServedStream stream(List<Candidate> candidates, SlaTier tier, LongSupplier tokenEstimate, boolean clientRetry) {
        return stream(candidates, tier, tokenEstimate, clientRetry, io.sluice.domain.limits.Priority.NORMAL);
    }

    /** {@link #stream(List, SlaTier, LongSupplier, boolean)} in a lane, as {@link #complete(List, SlaTier, LongSupplier, boolean, io.sluice.domain.limits.Priority)}. */
    public ServedStream stream(List<Candidate> candidates, SlaTier tier, LongSupplier tokenEstimate, boolean clientRetry,
                               io.sluice.domain.limits.Priority priority) {
        return stream(candidates, tier, tokenEstimate, clientRetry, priority, TraceSpan.NONE);
    }

    /** {@link #stream(List, SlaTier, LongSupplier, boolean, io.sluice.domain.limits.Priority)}, each attempt a span under {@code span}. */
    public ServedStream stream(List<Candidate> candidates, SlaTier tier, LongSupplier tokenEstimate, boolean clientRetry,
                               io.sluice.domain.limits.Priority priority, TraceSpan span) {
        CompletableFuture<ServedBy> servedBy = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicReference<ServedBy> abandoned = new java.util.concurrent.atomic.AtomicReference<>();
        Flow.Publisher<ChatChunk> chunks = subscriber -> {
            CallAttempts call = new CallAttempts(circuits, candidates, tier, tokenEstimate, clientRetry);
            call.priority = priority;
            call.span = span;
            new FailoverStream(this, call, servedBy, abandoned, subscriber).start();
        };
        return new ServedStream(chunks, servedBy, abandoned::get);
    }

    /** A single model's stream: {@link #stream(List, SlaTier, LongSupplier)} with a chain of one. */
    public Flow.Publisher<ChatChunk> stream(String model, List<Endpoint> endpoints, ChatRequest request, SlaTier tier) {
        return stream(List.of(new Candidate(model, endpoints, request)), tier, () -> 0).chunks();
    }

    /**
     * A stream, and who serves it: known once the first chunk has arrived, before it is passed on; and, once it is
     * known, the attempt of a slow model called off because this one sent its first chunk first (see {@link Served}),
     * or null.
     */
    public record ServedStream(Flow.Publisher<ChatChunk> chunks, CompletionStage<ServedBy> servedBy, java.util.function.Supplier<ServedBy> abandoned) {
        public ServedStream(Flow.Publisher<ChatChunk> chunks, CompletionStage<ServedBy> servedBy) {
            this(chunks, servedBy, () -> null);
        }
    }
}
