package io.sluice.domain.budget;

import io.sluice.domain.Require;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A budget's counter reached {@code percent} of its cap: what it had spent when it was read ({@code spentUsd}), of
 * {@code limitUsd}, {@code at}. {@link #id()} names the crossing (the counter, whose name holds its period's window, and
 * the percentage) so that a receiver told twice can tell. Immutable.
 */
public record BudgetThreshold(BudgetCheck check, int percent, BigDecimal spentUsd, Instant at) {
    public BudgetThreshold {
        Require.nonNull(check, "check");
        Require.nonNull(spentUsd, "spentUsd");
        Require.nonNull(at, "at");
        if (percent <= 0) throw new IllegalArgumentException("'percent' must be positive, was " + percent);
    }

    public String id() {
        return check.counter() + "@" + percent;
    }

    /** The budget without its period's window, e.g. {@code key:acme:day} for the counter {@code key:acme:day:2026-12-04}. */
    public static String budgetOf(BudgetCheck check) {
        String counter = check.counter();
        return check.period() == Budget.Period.TOTAL || counter.lastIndexOf(':') < 0 ? counter : counter.substring(0, counter.lastIndexOf(':'));
    }
}
