package io.sluice.domain.budget;

import io.sluice.domain.Require;
import java.math.BigDecimal;

/** One budget counter a call must fit in, the period it counts (its day, its month, or all time), and its cap in dollars. */
public record BudgetCheck(String counter, Budget.Period period, BigDecimal limitUsd) {
    public BudgetCheck {
        Require.nonBlank(counter, "counter");
        Require.nonNull(period, "period");
        Require.nonNull(limitUsd, "limitUsd");
    }
}
