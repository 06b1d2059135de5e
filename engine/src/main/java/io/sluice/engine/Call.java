package io.sluice.engine;

import io.sluice.domain.sla.SlaTier;
import io.sluice.engine.sla.ResilientCaller;
import io.sluice.ports.in.ChatCall;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One chat call from its start to its single end: its request id (the ledger's and the budget hold's name for it), its
 * start and deadline, what the caller asked, the models it may be served by and its SLA tier; then, as its stages run,
 * its plan (the turn to send) and its admission (rate limits and budget hold). It ends exactly once, whichever path gets
 * there first (the answer, the upstream's failure, the client going away), with an {@link Outcome}: ending settles its
 * admission, bills what was delivered, stores the turn and reports the outcome ({@link Settlement}). Thread-safe.
 */
final class Call {
    /** How a call ended. */
    enum Outcome {
        /** The answer was delivered whole. */
        COMPLETED,
        /** The upstream broke off a stream after its first chunk. */
        CUT,
        /** The client went away. */
        CANCELLED,
        /** Answered from the response cache (or by an identical call in flight): nothing went upstream for it. */
        CACHE_HIT,
        /** Answered with its route's fallback reply instead of the failure it met. */
        FALLBACK_REPLY,
        /** The upstreams failed it after it was admitted. */
        FAILED,
        /** Refused before anything went upstream: a bad request, a rate limit, a budget, a context that does not fit. */
        REFUSED
    }

    final String requestId;
    final ChatCall request;
    final Selection selection;
    final SlaTier tier;
    final long startNanos;
    final long deadlineNanos;
    /** The call's span: started as it opened, ended by its settlement. */
    final io.sluice.ports.out.TraceSpan span;
    private final Settlement settlement;
    private final AtomicBoolean ending = new AtomicBoolean();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile CallPlan plan;
    private volatile CallAdmission.Admitted admitted;
    private volatile boolean followed;
    private volatile Throwable failure;

    Call(ChatCall request, Selection selection, SlaTier tier, Settlement settlement, io.sluice.ports.out.TraceSpan span) {
        this.span = span;
        this.requestId = request.requestId();
        this.request = request;
        this.selection = selection;
        this.tier = tier;
        this.settlement = settlement;
        this.startNanos = System.nanoTime();
        this.deadlineNanos = startNanos + tier.deadline().toNanos();
    }

    CallPlan plan() {
        return plan;
    }

    CallAdmission.Admitted admission() {
        return admitted;
    }

    /** The tightest rate limit the admitted call counted against; null when it was not admitted or had none. */
    io.sluice.domain.limits.LimitDecision rateLimit() {
        CallAdmission.Admitted a = admitted;
        return a == null ? null : a.rateLimit();
    }

    Call planned(CallPlan value) {
        plan = value;
        return this;
    }

    /** The call was let through: from now on, ending it settles what its admission took. */
    Call admitted(CallAdmission.Admitted value) {
        admitted = value;
        plan = value.plan();
        return this;
    }

    List<ResilientCaller.Candidate> candidates() {
        return plan.candidates();
    }

    /** Whether the client says this is its retry of a call already sent: its failures were counted against circuits then. */
    boolean clientRetry() {
        return request.clientRetries() > 0;
    }

    /** The call waited on an identical one in flight: that one's upstream outcome is not this call's to record. */
    void followed() {
        followed = true;
    }

    boolean hasFollowed() {
        return followed;
    }

    /** The id of an answer the gateway gives itself (a cache hit, a fallback reply), in OpenAI's form, made of the request id. */
    String answerId() {
        return "chatcmpl-" + requestId.replaceFirst("^req_", "");
    }

    /** Says why the call failed (the first reason given stands), before it ends. */
    void failedWith(Throwable error) {
        if (failure == null) failure = io.sluice.domain.error.Failures.cause(error);
    }

    /** Why the call failed, when it ended failed, refused or cut; else null. */
    Throwable failure() {
        return failure;
    }

    String route() {
        return selection.route();
    }

    /**
     * Ends the call with {@code outcome} and what it delivered, once: a later end (a cancel racing a completion) gets the
     * first end's stage and changes nothing. The stage completes once the bill and turn are stored.
     */
    CompletionStage<Void> end(Outcome outcome, Delivery delivered) {
        if (ending.compareAndSet(false, true)) {
            CompletionStage<Void> settled;
            try {
                settled = settlement.settle(this, outcome, delivered);
            } catch (RuntimeException e) {
                failedWith(e);
                CallSpans.ended(this, outcome, null); // the settlement that ends the span never got to it
                settled = CompletableFuture.failedFuture(e);
            }
            settled.whenComplete((ok, error) -> {
                if (error != null) ended.completeExceptionally(error);
                else ended.complete(null);
            });
        }
        return ended;
    }

    /** Ends the call as failed (or refused, when it never got through admission) if {@code stage} fails; passes it on unchanged. */
    <T> CompletionStage<T> endIfFails(CompletionStage<T> stage) {
        return stage.whenComplete((ok, error) -> {
            if (error == null) return;
            boolean gone = io.sluice.domain.error.Failures.cause(error) instanceof ClientGoneException;
            if (!gone) failedWith(error);
            end(gone ? Outcome.CANCELLED : admitted == null ? Outcome.REFUSED : Outcome.FAILED, Delivery.NOTHING);
        });
    }
}
