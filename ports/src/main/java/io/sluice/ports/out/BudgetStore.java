package io.sluice.ports.out;

import io.sluice.domain.Require;
import io.sluice.domain.budget.BudgetCheck;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Budget counters: what each has spent and holds reserved for calls in flight, shared by every replica, so a cap holds
 * whatever the concurrency. Every reservation is a {@link Hold} with an expiry: one that its call never settles (the
 * process died) is released, or settled from the ledger, by {@link #expire} once {@link #expired} lists it. Thread-safe;
 * completes asynchronously.
 */
public interface BudgetStore {
    /** How a reservation went. */
    enum Outcome {
        /** Reserved on every counter. */
        RESERVED,
        /** Nothing reserved: it would fit once calls in flight settle. */
        WAIT,
        /** Nothing reserved: it does not fit even with nothing in flight. */
        EXCEEDED,
        /** Nothing reserved: a counter is unknown to the store (lost with its data) and must be {@link #rebuild rebuilt} first. */
        MISSING
    }

    /** {@code refusedBy} is the counter that was exceeded or is missing; null otherwise. */
    record Reservation(Outcome outcome, BudgetCheck refusedBy) {}

    /**
     * One call's reservation of {@code amount} on each of its counters, named by the call's request id, made at
     * {@code reservedAt} and kept until {@code expiresAt}.
     */
    record Hold(String id, List<BudgetCheck> checks, BigDecimal amount, Instant reservedAt, Instant expiresAt) {
        public Hold {
            Require.nonBlank(id, "id");
            checks = List.copyOf(checks);
            Require.nonNull(amount, "amount");
            Require.nonNull(reservedAt, "reservedAt");
            Require.nonNull(expiresAt, "expiresAt");
        }
    }

    /** Reserves the hold's amount on every counter at once, or on none. */
    CompletionStage<Reservation> reserve(Hold hold);

    /**
     * Replaces a hold by what its call actually cost (0 for a failed call), once: settling it again does nothing. When the
     * hold expired first, only the difference from what {@link #expire} counted is added. {@code billedAt} is when the
     * call's bill was committed to the ledger, which tells a counter rebuilt since whether it already counted it.
     */
    CompletionStage<Void> settle(Hold hold, BigDecimal actual, Instant billedAt);

    /** Ids of holds past their expiry that no call settled and no sweep expired yet, at most {@code max}. */
    CompletionStage<List<String>> expired(Instant now, int max);

    /** Releases an expired hold, counting {@code billed} (what the ledger holds for its call) as spent; once. */
    CompletionStage<Void> expire(String holdId, BigDecimal billed);

    /**
     * Sets a {@link Outcome#MISSING missing} counter from the ledger: {@code spent} is its sum as read at {@code asOf}. A
     * counter another replica rebuilt meanwhile is left alone. Stores that cannot lose counters need not implement it.
     */
    default CompletionStage<Void> rebuild(BudgetCheck check, BigDecimal spent, Instant asOf) {
        return CompletableFuture.completedFuture(null);
    }

    /** What a counter has spent, settled calls only. */
    CompletionStage<BigDecimal> spent(String counter);

    /** What a counter holds reserved for calls in flight. */
    CompletionStage<BigDecimal> reserved(String counter);

    /** A counter as it stands: what it has spent and holds reserved. */
    record Counter(String name, BigDecimal spent, BigDecimal reserved) {}

    /**
     * The counters whose names start with {@code prefix} and end with one of {@code suffixes} (any, when there are
     * none), the most spent first, at most {@code max}: what the budgets report reads, never a call. The suffixes name
     * the current periods ({@code :day:2026-12-04}), so that past periods' counters, which stay, crowd none out.
     */
    CompletionStage<List<Counter>> counters(String prefix, List<String> suffixes, int max);

    /**
     * Drops every counter whose name starts with {@code prefix} (an erased end user's or conversation's). A store whose
     * counters live in the database erases them with the rest ({@link ErasureStore}): nothing to do here.
     */
    default CompletionStage<Void> forget(String prefix) {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }
}
