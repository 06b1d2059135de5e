package io.sluice.ports.out;

import io.sluice.domain.budget.BudgetCheck;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Budget counters: what each has spent and holds reserved for calls in flight. Shared by every replica (the ledger's
 * database), so a cap holds whatever the concurrency. Thread-safe; completes asynchronously.
 */
public interface BudgetStore {
    /** How a reservation went. */
    enum Outcome {
        /** Reserved on every counter. */
        RESERVED,
        /** Nothing reserved: it would fit once calls in flight settle. */
        WAIT,
        /** Nothing reserved: it does not fit even with nothing in flight. */
        EXCEEDED
    }

    record Reservation(Outcome outcome, BudgetCheck refusedBy) {}

    /** Reserves {@code amount} on every counter at once, or on none. */
    CompletionStage<Reservation> reserve(List<BudgetCheck> checks, BigDecimal amount);

    /** Replaces a reservation by what the call actually cost (0 for a failed call). */
    CompletionStage<Void> settle(List<BudgetCheck> checks, BigDecimal reserved, BigDecimal actual);

    /** What a counter has spent, settled calls only. */
    CompletionStage<BigDecimal> spent(String counter);
}
