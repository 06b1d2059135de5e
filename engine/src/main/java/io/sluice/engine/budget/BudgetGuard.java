package io.sluice.engine.budget;

import io.sluice.domain.budget.Budget;
import io.sluice.domain.budget.BudgetCheck;
import io.sluice.domain.budget.BudgetExceededException;
import io.sluice.engine.internal.TimeoutScheduler;
import io.sluice.ports.in.Caller;
import io.sluice.ports.out.BudgetStore;
import io.sluice.ports.out.UsageLedger;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Hard caps: before a call goes upstream, its worst-case cost is reserved on every budget it counts against, as a hold
 * that expires at the call's deadline plus {@code holdMargin}; after, the hold is replaced by what the call cost, or
 * released when it failed. A call that would fit once the calls in flight settle waits for them (never past its
 * deadline); one that would not fit even then is refused at once. So spend never passes a cap, and a cap is used up
 * rather than blocked by reservations. A counter its store lost is rebuilt from the ledger before it admits a call, and
 * a hold no call settled (its process died) is expired by {@link #sweepExpired()}: released, with what the ledger billed
 * its call counted as spent. Thread-safe.
 */
public final class BudgetGuard {
    /** How long a call waits before asking again for room that calls in flight hold. */
    private static final Duration POLL = Duration.ofMillis(20);
    /** How long after its call's deadline a hold expires by default: past any settlement of a live call's bill. */
    public static final Duration DEFAULT_HOLD_MARGIN = Duration.ofMinutes(2);
    /** How many expired holds one sweep takes. */
    private static final int SWEEP_BATCH = 200;
    private static final System.Logger LOG = System.getLogger(BudgetGuard.class.getName());

    private final List<Budget> budgets;
    private final BudgetStore store;
    private final UsageLedger ledger;
    private final Clock clock;
    private final Duration holdMargin;
    private final boolean failOpen;
    private final BudgetWatch watch;

    public BudgetGuard(List<Budget> budgets, BudgetStore store, UsageLedger ledger, Clock clock, Duration holdMargin) {
        this(budgets, store, ledger, clock, holdMargin, false);
    }

    /**
     * @param failOpen while the counters' store is unreachable, let calls through unchecked (their bills still go to
     *                 the ledger, from which lost counters are rebuilt) instead of refusing them
     */
    public BudgetGuard(List<Budget> budgets, BudgetStore store, UsageLedger ledger, Clock clock, Duration holdMargin, boolean failOpen) {
        this(budgets, store, ledger, clock, holdMargin, failOpen, null);
    }

    /** @param watch reads each counter calls settle on and reports thresholds crossed; null for none */
    public BudgetGuard(List<Budget> budgets, BudgetStore store, UsageLedger ledger, Clock clock, Duration holdMargin, boolean failOpen,
                       BudgetWatch watch) {
        this.watch = watch;
        this.budgets = List.copyOf(budgets);
        this.store = store;
        this.ledger = ledger;
        this.clock = clock;
        this.holdMargin = holdMargin;
        this.failOpen = failOpen;
    }

    public static BudgetGuard none() {
        return new BudgetGuard(List.of(), null, UsageLedger.NONE, Clock.systemUTC(), DEFAULT_HOLD_MARGIN);
    }

    /** Whether any budget may apply to the caller's calls: a configured one, or its key's own. */
    public boolean activeFor(Caller caller) {
        return !budgets.isEmpty() || (store != null && !caller.policy().budgets().isEmpty());
    }

    /** The hold of a call no budget applies to. */
    public Hold noHold() {
        return new Hold(null);
    }

    /** A call's reservation, to settle exactly once. */
    public final class Hold {
        private final BudgetStore.Hold held;
        private boolean settled;

        Hold(BudgetStore.Hold held) {
            this.held = held;
        }

        /** Replaces the reservation by what the call cost (0 when it failed), whose bill was committed at {@code billedAt}; once. */
        public synchronized CompletionStage<Void> settle(BigDecimal actual, Instant billedAt) {
            if (settled || held == null) return CompletableFuture.completedFuture(null);
            settled = true;
            CompletionStage<Void> done = store.settle(held, actual, billedAt);
            if (watch != null && actual.signum() > 0) done.thenRun(() -> watch.settled(held.checks()));
            return done;
        }
    }

    /**
     * Reserves {@code worstCase} on the call's budgets under {@code holdId} (the call's request id), waiting for room
     * held by calls in flight until {@code deadlineNanos}. {@code newConversation}: the call starts its conversation, so
     * that conversation has billed nothing, and its counter is built without reading the ledger.
     */
    public CompletionStage<Hold> reserve(Caller caller, String conversationId, boolean newConversation, BigDecimal worstCase,
                                         long deadlineNanos, String holdId) {
        Instant now = clock.instant();
        List<BudgetCheck> checks = checks(caller, conversationId, now);
        if (checks.isEmpty()) return CompletableFuture.completedFuture(noHold());
        Duration left = Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
        BudgetStore.Hold hold = new BudgetStore.Hold(holdId, checks, worstCase, now, now.plus(left).plus(holdMargin));
        CompletableFuture<Hold> result = new CompletableFuture<>();
        attempt(hold, deadlineNanos, newConversation ? conversationId : null, result);
        return result;
    }

    /**
     * Reserves {@code amount} for work that outlives a call (a batch), as the budgets stood {@code at}, under
     * {@code holdId}, kept until {@code until} plus the hold margin; waits for room that calls in flight hold until
     * {@code deadlineNanos}. {@link #held} makes the same hold again to settle it, in this process or another.
     */
    public CompletionStage<Hold> reserveUntil(Caller caller, BigDecimal amount, String holdId, Instant at, Instant until, long deadlineNanos) {
        List<BudgetCheck> checks = checks(caller, null, at);
        if (checks.isEmpty()) return CompletableFuture.completedFuture(noHold());
        CompletableFuture<Hold> result = new CompletableFuture<>();
        attempt(new BudgetStore.Hold(holdId, checks, amount, at, until.plus(holdMargin)), deadlineNanos, null, result);
        return result;
    }

    /** The hold {@link #reserveUntil} made with these values, to settle. */
    public Hold held(Caller caller, BigDecimal amount, String holdId, Instant at, Instant until) {
        List<BudgetCheck> checks = checks(caller, null, at);
        return checks.isEmpty() ? noHold() : new Hold(new BudgetStore.Hold(holdId, checks, amount, at, until.plus(holdMargin)));
    }

    private List<BudgetCheck> checks(Caller caller, String conversationId, Instant at) {
        List<BudgetCheck> checks = new ArrayList<>();
        for (Budget b : budgets) b.checkFor(caller.owner(), caller.user(), conversationId, at).ifPresent(checks::add);
        caller.key().ifPresent(key -> checks.addAll(key.policy().budgetChecks(key.id(), at)));
        return checks;
    }

    private void attempt(BudgetStore.Hold hold, long deadlineNanos, String newConversation, CompletableFuture<Hold> result) {
        store.reserve(hold).whenComplete((reservation, error) -> {
            if (error != null) {
                storeFailed(error, result);
                return;
            }
            switch (reservation.outcome()) {
                case RESERVED -> result.complete(new Hold(hold));
                case EXCEEDED -> {
                    if (watch != null) watch.refused(reservation.refusedBy());
                    result.completeExceptionally(new BudgetExceededException(reservation.refusedBy()));
                }
                case MISSING -> rebuild(reservation.refusedBy(), newConversation).whenComplete((ok, failed) -> {
                    if (failed != null) storeFailed(failed, result);
                    // made again after the rebuild: a counter rebuilt before its hold was made never mistakes it for one it lost
                    else attempt(new BudgetStore.Hold(hold.id(), hold.checks(), hold.amount(), clock.instant(), hold.expiresAt()),
                            deadlineNanos, newConversation, result);
                });
                case WAIT -> {
                    long pause = POLL.toNanos() + ThreadLocalRandom.current().nextLong(POLL.toNanos());
                    if (System.nanoTime() + pause >= deadlineNanos) {
                        result.completeExceptionally(new BudgetExceededException(hold.checks().getFirst()));
                        return;
                    }
                    TimeoutScheduler.later(Duration.ofNanos(pause), () -> attempt(hold, deadlineNanos, newConversation, result));
                }
            }
        });
    }

    /** The counters could not be read: refused as unavailable (closed), or let through unchecked (open). */
    private void storeFailed(Throwable error, CompletableFuture<Hold> result) {
        if (!(io.sluice.domain.error.Failures.cause(error) instanceof io.sluice.domain.error.SharedStoreUnavailableException)) {
            result.completeExceptionally(error);
        } else if (failOpen) {
            result.complete(noHold());
        } else {
            result.completeExceptionally(new io.sluice.domain.budget.BudgetsUnavailableException(error));
        }
    }

    /**
     * Sets a counter its store lost (or never had: a new period, a new conversation) to what the ledger billed in its
     * period, as read now; a counter of the conversation this call starts is 0 without a read (the ledger has no index
     * by conversation, and every new conversation would otherwise scan it).
     */
    private CompletionStage<Void> rebuild(BudgetCheck check, String newConversation) {
        Instant asOf = clock.instant();
        boolean fresh = newConversation != null && check.spend().conversationId().filter(newConversation::equals).isPresent();
        CompletionStage<BigDecimal> sum = fresh ? CompletableFuture.completedFuture(BigDecimal.ZERO) : ledger.spent(check.spend());
        return sum.thenCompose(spent -> {
            // DEBUG: a counter is built at the start of every period and conversation, not only after a loss
            LOG.log(System.Logger.Level.DEBUG, () -> "budget counter " + check.counter() + " built from the ledger: " + spent.toPlainString() + " USD");
            return store.rebuild(check, spent, asOf);
        });
    }

    /**
     * Expires the holds past their expiry that no call settled: each is released, and what the ledger billed its call
     * is counted as spent. Returns how many were expired. Safe to run on every replica at once.
     */
    public CompletionStage<Integer> sweepExpired() {
        if (store == null) return CompletableFuture.completedFuture(0);
        return store.expired(clock.instant(), SWEEP_BATCH).thenCompose(ids -> {
            if (ids.isEmpty()) return CompletableFuture.completedFuture(0);
            return ledger.billed(ids).thenCompose(billed -> {
                CompletableFuture<?>[] expiries = ids.stream()
                        .map(id -> store.expire(id, billed.getOrDefault(id, BigDecimal.ZERO)).toCompletableFuture())
                        .toArray(CompletableFuture[]::new);
                return CompletableFuture.allOf(expiries).thenApply(done -> {
                    LOG.log(System.Logger.Level.WARNING, ids.size() + " budget holds expired unsettled (a process stopped mid-call) and were released");
                    return ids.size();
                });
            });
        });
    }

    /** Runs {@link #sweepExpired()} every {@code interval} on a daemon thread of its own; running the returned task stops it. */
    public Runnable sweepEvery(Duration interval) {
        return io.sluice.engine.background.Periodic.every("budget-hold-sweep", interval, this::sweepExpired);
    }
}
