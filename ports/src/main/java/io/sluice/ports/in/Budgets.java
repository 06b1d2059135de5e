package io.sluice.ports.in;

import io.sluice.domain.budget.Budget;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The hard caps as they stand in their current periods: what each has spent and holds, and when it would run out. */
public interface Budgets {
    /** How many caps one report lists at most. */
    int MAX_LISTED = 500;

    /**
     * Everyone's caps of {@code scope} ({@code global}, {@code key}, {@code user}, {@code conversation} or {@code apikey};
     * null for all), the most spent first, at most {@code max}.
     */
    CompletionStage<List<Status>> all(String scope, int max);

    /** The caps {@code caller} counts against: its owner's, its own API key's, and its owner's end users'. */
    CompletionStage<List<Status>> own(Caller caller, int max);

    /**
     * One cap in its current period: the counter's name ({@code key:acme:day:2026-12-04}), its scope and who it
     * counts (an owner, {@code owner/user}, a conversation or an API key id; empty for global), the period and when it
     * ends, the cap, what was spent and what calls in flight hold, and when the spend so far, at its pace since the
     * period began, would reach the cap; empty when it would not within the period (or, for a total, has no pace).
     */
    record Status(String budget, String scope, String subject, Budget.Period period, Instant periodEnd, BigDecimal limitUsd,
                  BigDecimal spentUsd, BigDecimal reservedUsd, Optional<Instant> projectedExhaustion) {
        public BigDecimal remainingUsd() {
            return limitUsd.subtract(spentUsd).subtract(reservedUsd).max(BigDecimal.ZERO);
        }
    }
}
