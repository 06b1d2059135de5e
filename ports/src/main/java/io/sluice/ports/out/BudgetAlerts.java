package io.sluice.ports.out;

import io.sluice.domain.budget.BudgetCheck;
import io.sluice.domain.budget.BudgetThreshold;
import java.math.BigDecimal;

/**
 * Where the gateway says how far its budgets are spent: each counter as it is read after calls settle (for a gauge),
 * and each threshold a counter crosses (80% and 100% by default), once per counter and threshold in a process. Every
 * replica that sees a crossing reports it: receivers dedupe by {@link BudgetThreshold#id()}. Implementations are
 * thread-safe and never block.
 */
public interface BudgetAlerts {
    /** {@code check}'s counter stood at {@code spentUsd} when read. */
    default void spent(BudgetCheck check, BigDecimal spentUsd) {}

    void crossed(BudgetThreshold crossing);

    /** A call was refused for want of room in {@code check}'s counter. */
    default void refused(BudgetCheck check) {}

    BudgetAlerts NONE = crossing -> { };

    /** Both, in order. */
    default BudgetAlerts and(BudgetAlerts other) {
        BudgetAlerts first = this;
        return new BudgetAlerts() {
            @Override
            public void spent(BudgetCheck check, BigDecimal spentUsd) {
                first.spent(check, spentUsd);
                other.spent(check, spentUsd);
            }

            @Override
            public void crossed(BudgetThreshold crossing) {
                first.crossed(crossing);
                other.crossed(crossing);
            }

            @Override
            public void refused(BudgetCheck check) {
                first.refused(check);
                other.refused(check);
            }
        };
    }
}
