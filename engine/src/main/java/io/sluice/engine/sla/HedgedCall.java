package io.sluice.engine.sla;

import io.sluice.domain.ChatResponse;
import io.sluice.domain.error.Failures;
import io.sluice.engine.internal.TimeoutScheduler;
import io.sluice.engine.sla.ResilientCaller.Served;
import io.sluice.ports.in.ServedBy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A plain call under a tier's {@code fallback-after}: its attempts run as usual; if none has answered by then, the
 * next model of its chain is started alongside, under the same deadline. The first answer wins and the other side is
 * called off; the answer names that side's attempt in flight ({@link Served#abandoned()}), whose prompt the upstream
 * consumed. The call fails only once both sides have failed, with the first side's failure (the model it was meant
 * for). Used once.
 */
final class HedgedCall {
    private final ResilientCaller caller;
    private final CallAttempts first;
    private final Duration after;
    private final CompletableFuture<Served<ChatResponse>> result = new CompletableFuture<>();
    private CallAttempts second;
    private int running = 1;
    private Throwable firstFailure;

    HedgedCall(ResilientCaller caller, CallAttempts first, Duration after) {
        this.caller = caller;
        this.first = first;
        this.after = after;
    }

    CompletionStage<Served<ChatResponse>> run() {
        start(first);
        TimeoutScheduler.later(after, this::hedge);
        return result;
    }

    /** Starts the next model alongside, unless the call has answered or failed, or stands at its last model. */
    private void hedge() {
        CallAttempts next;
        synchronized (this) {
            if (result.isDone() || running == 0) return;
            next = first.nextModel();
            if (next == null) return;
            second = next;
            running++;
        }
        caller.events().retried(next.model(), "-", "fallback_after");
        start(next);
    }

    private void start(CallAttempts side) {
        CompletableFuture<Served<ChatResponse>> answered = new CompletableFuture<>();
        caller.attempt(side, answered, caller.completion(side));
        answered.whenComplete((served, error) -> {
            if (error == null) won(side, served);
            else failed(side, Failures.cause(error));
        });
    }

    private void won(CallAttempts side, Served<ChatResponse> served) {
        CallAttempts other;
        synchronized (this) {
            if (result.isDone()) return;
            other = side == first ? second : first;
        }
        ServedBy abandoned = other == null ? null : other.abandon();
        result.complete(served.abandoning(abandoned));
    }

    private void failed(CallAttempts side, Throwable error) {
        Throwable reported;
        synchronized (this) {
            running--;
            if (side == first) firstFailure = error;
            if (running > 0 || result.isDone()) return;
            reported = firstFailure != null ? firstFailure : error;
        }
        result.completeExceptionally(reported);
    }
}
