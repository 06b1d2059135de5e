package io.sluice.engine.budget;

import io.sluice.ports.out.BudgetStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** A budget store whose every method fails: a test overrides the few its subject uses. */
abstract class UnusedBudgetStore implements BudgetStore {
    @Override
    public CompletionStage<Reservation> reserve(Hold hold) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> settle(Hold hold, BigDecimal actual, Instant billedAt) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<String>> expired(Instant now, int max) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> expire(String holdId, BigDecimal billed) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<BigDecimal> spent(String counter) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<BigDecimal> reserved(String counter) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<BudgetStore.Counter>> counters(String prefix, List<String> suffixes, int max) {
        throw new UnsupportedOperationException();
    }
}
