package io.sluice.engine.sla;

import io.sluice.domain.ChatResponse;
import io.sluice.domain.error.Failures;
import io.sluice.engine.internal.TimeoutScheduler;
import io.sluice.engine.sla.ResilientCaller.Served;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A plain call under a tier's {@code fallback-after}: its attempts run as usual; if none has answered by then, the
 * next model of its chain is started alongside, under the same deadline ({@link Sides}). The first answer wins and
 * the other side is called off; the answer names that side's attempt in flight ({@link Served#abandoned()}), whose
 * prompt the upstream consumed. Used once.
 */
final class HedgedCall {
    private final ResilientCaller caller;
    private final CallAttempts first;
    private final Sides sides;
    private final Duration after;
    private final CompletableFuture<Served<ChatResponse>> result = new CompletableFuture<>();

    HedgedCall(ResilientCaller caller, CallAttempts first, Duration after) {
        this.caller = caller;
        this.first = first;
        this.sides = new Sides(first);
        this.after = after;
    }

    CompletionStage<Served<ChatResponse>> run() {
        start(first);
        TimeoutScheduler.later(after, () -> {
            CallAttempts next = sides.startSecond();
            if (next == null) return;
            caller.events().retried(next.model(), "-", "fallback_after");
            start(next);
        });
        return result;
    }

    private void start(CallAttempts side) {
        CompletableFuture<Served<ChatResponse>> answered = new CompletableFuture<>();
        caller.attempt(side, answered, caller.completion(side));
        answered.whenComplete((served, error) -> {
            if (error == null) {
                if (!sides.win(side)) return;
                CallAttempts other = sides.loser();
                result.complete(served.abandoning(other == null ? null : other.abandon(true)));
                return;
            }
            Throwable reported = sides.failed(side, Failures.cause(error));
            if (reported != null) result.completeExceptionally(reported);
        });
    }
}
