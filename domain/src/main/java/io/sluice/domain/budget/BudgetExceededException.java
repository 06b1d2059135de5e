package io.sluice.domain.budget;

import io.sluice.domain.error.NonRetriableException;

/** A call whose worst-case cost does not fit a budget: refused before it goes upstream. */
public class BudgetExceededException extends NonRetriableException {
    public BudgetExceededException(BudgetCheck check) {
        super("Budget exceeded: '" + check.counter() + "' is capped at $" + check.limitUsd().toPlainString()
                + " and this call's worst-case cost does not fit in what is left.", null);
    }

    @Override
    public String code() {
        return "budget_exceeded";
    }
}
