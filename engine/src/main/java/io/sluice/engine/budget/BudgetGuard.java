package io.sluice.engine.budget;

import io.sluice.domain.budget.Budget;
import io.sluice.domain.budget.BudgetCheck;
import io.sluice.domain.error.BudgetExceededException;
import io.sluice.engine.internal.TimeoutScheduler;
import io.sluice.ports.in.Caller;
import io.sluice.ports.out.BudgetStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hard caps: before a call goes upstream, its worst-case cost is reserved on every budget it counts against; after,
 * the reservation is replaced by what the call cost, or released when it failed. A call that would fit once the calls
 * in flight settle waits for them (never past its deadline); one that would not fit even then is refused at once.
 * So spend never passes a cap, and a cap is used up rather than blocked by reservations. Thread-safe.
 */
public final class BudgetGuard {
    /** How long a call waits before asking again for room that calls in flight hold. */
    private static final Duration POLL = Duration.ofMillis(20);

    private final List<Budget> budgets;
    private final BudgetStore store;
    private final Clock clock;

    public BudgetGuard(List<Budget> budgets, BudgetStore store, Clock clock) {
        this.budgets = List.copyOf(budgets);
        this.store = store;
        this.clock = clock;
    }

    public static BudgetGuard none() {
        return new BudgetGuard(List.of(), null, Clock.systemUTC());
    }

    /** Whether any budget may apply to the caller's calls: a configured one, or its key's own. */
    public boolean activeFor(Caller caller) {
        return !budgets.isEmpty() || (store != null && !caller.policy().budgets().isEmpty());
    }

    /** The hold of a call no budget applies to. */
    public Hold noHold() {
        return new Hold(List.of(), BigDecimal.ZERO);
    }

    /** A call's reservation, to settle exactly once. */
    public final class Hold {
        private final List<BudgetCheck> checks;
        private final BigDecimal reserved;
        private boolean settled;

        Hold(List<BudgetCheck> checks, BigDecimal reserved) {
            this.checks = checks;
            this.reserved = reserved;
        }

        /** Replaces the reservation by what the call cost: 0 when it failed. */
        public synchronized CompletionStage<Void> settle(BigDecimal actual) {
            if (settled || checks.isEmpty()) return CompletableFuture.completedFuture(null);
            settled = true;
            return store.settle(checks, reserved, actual);
        }
    }

    /** Reserves {@code worstCase} on the call's budgets, waiting for room held by calls in flight until {@code deadlineNanos}. */
    public CompletionStage<Hold> reserve(Caller caller, String conversationId, BigDecimal worstCase, long deadlineNanos) {
        List<BudgetCheck> checks = new ArrayList<>();
        Instant now = clock.instant();
        for (Budget b : budgets) b.checkFor(caller.owner(), caller.user(), conversationId, now).ifPresent(checks::add);
        caller.key().ifPresent(key -> checks.addAll(key.policy().budgetChecks(key.id(), now)));
        if (checks.isEmpty()) return CompletableFuture.completedFuture(noHold());
        CompletableFuture<Hold> hold = new CompletableFuture<>();
        attempt(checks, worstCase, deadlineNanos, hold);
        return hold;
    }

    private void attempt(List<BudgetCheck> checks, BigDecimal amount, long deadlineNanos, CompletableFuture<Hold> hold) {
        store.reserve(checks, amount).whenComplete((reservation, error) -> {
            if (error != null) {
                hold.completeExceptionally(error);
                return;
            }
            switch (reservation.outcome()) {
                case RESERVED -> hold.complete(new Hold(checks, amount));
                case EXCEEDED -> hold.completeExceptionally(new BudgetExceededException(reservation.refusedBy()));
                case WAIT -> {
                    long pause = POLL.toNanos() + ThreadLocalRandom.current().nextLong(POLL.toNanos());
                    if (System.nanoTime() + pause >= deadlineNanos) {
                        hold.completeExceptionally(new BudgetExceededException(checks.getFirst()));
                        return;
                    }
                    TimeoutScheduler.later(Duration.ofNanos(pause), () -> attempt(checks, amount, deadlineNanos, hold));
                }
            }
        });
    }
}
