package io.sluice.domain.budget;

import io.sluice.domain.Require;
import java.math.BigDecimal;

/** One budget counter a call must fit in, and its cap in dollars. */
public record BudgetCheck(String counter, BigDecimal limitUsd) {
    public BudgetCheck {
        Require.nonBlank(counter, "counter");
        Require.nonNull(limitUsd, "limitUsd");
    }
}
