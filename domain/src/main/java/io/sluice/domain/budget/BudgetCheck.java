package io.sluice.domain.budget;

import io.sluice.domain.Require;
import io.sluice.domain.usage.SpendFilter;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One budget counter a call must fit in, the period it counts (its day, its month, or all time), its cap in dollars,
 * and which ledger entries it counts ({@code spend}: what rebuilds it when its store lost it).
 */
public record BudgetCheck(String counter, Budget.Period period, BigDecimal limitUsd, SpendFilter spend) {
    public BudgetCheck {
        Require.nonBlank(counter, "counter");
        Require.nonNull(period, "period");
        Require.nonNull(limitUsd, "limitUsd");
        Require.nonNull(spend, "spend");
    }

    /** A counter over every ledger entry of all time: for tests and tools that name counters themselves. */
    public BudgetCheck(String counter, Budget.Period period, BigDecimal limitUsd) {
        this(counter, period, limitUsd, SpendFilter.everyone(Instant.EPOCH, Budget.END_OF_TIME));
    }
}
