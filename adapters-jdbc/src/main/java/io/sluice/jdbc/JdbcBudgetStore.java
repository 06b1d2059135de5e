package io.sluice.jdbc;

import io.sluice.domain.budget.BudgetCheck;
import io.sluice.ports.out.BudgetStore;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link BudgetStore} on JDBI: a reservation locks its counters' rows (in one order, so two calls never deadlock),
 * checks them all, then adds to each, in one transaction. Thread-safe.
 */
final class JdbcBudgetStore implements BudgetStore {
    private final Jdbi jdbi;
    private final Executor executor;

    JdbcBudgetStore(Jdbi jdbi, Executor executor) {
        this.jdbi = jdbi;
        this.executor = executor;
    }

    @Override
    public CompletionStage<Reservation> reserve(List<BudgetCheck> checks, BigDecimal amount) {
        List<BudgetCheck> ordered = checks.stream().sorted(Comparator.comparing(BudgetCheck::counter)).toList();
        return async(() -> {
            jdbi.useHandle(h -> ordered.forEach(c -> ensureRow(h, c.counter())));
            return jdbi.inTransaction(h -> {
                boolean wait = false;
                for (BudgetCheck c : ordered) {
                    var row = h.createQuery("SELECT spent, reserved FROM budget_counters WHERE counter = :c FOR UPDATE")
                            .bind("c", c.counter()).map((rs, ctx) -> new BigDecimal[] {rs.getBigDecimal(1), rs.getBigDecimal(2)}).one();
                    if (row[0].add(amount).compareTo(c.limitUsd()) > 0) return new Reservation(Outcome.EXCEEDED, c);
                    if (row[0].add(row[1]).add(amount).compareTo(c.limitUsd()) > 0) wait = true;
                }
                if (wait) return new Reservation(Outcome.WAIT, null);
                for (BudgetCheck c : ordered) {
                    h.createUpdate("UPDATE budget_counters SET reserved = reserved + :a WHERE counter = :c").bind("a", amount)
                            .bind("c", c.counter()).execute();
                }
                return new Reservation(Outcome.RESERVED, null);
            });
        });
    }

    /** Creates a counter's row if it is missing; a concurrent creator winning the race is fine. */
    private static void ensureRow(Handle h, String counter) {
        try {
            h.createUpdate("""
                    INSERT INTO budget_counters (counter, spent, reserved) SELECT :c, 0, 0
                    WHERE NOT EXISTS (SELECT 1 FROM budget_counters WHERE counter = :c)""").bind("c", counter).execute();
        } catch (RuntimeException alreadyThere) {
            // another call created it between the check and the insert
        }
    }

    @Override
    public CompletionStage<Void> settle(List<BudgetCheck> checks, BigDecimal reserved, BigDecimal actual) {
        List<BudgetCheck> ordered = checks.stream().sorted(Comparator.comparing(BudgetCheck::counter)).toList();
        return async(() -> jdbi.inTransaction(h -> {
            for (BudgetCheck c : ordered) {
                h.createUpdate("UPDATE budget_counters SET reserved = reserved - :r, spent = spent + :a WHERE counter = :c")
                        .bind("r", reserved).bind("a", actual).bind("c", c.counter()).execute();
            }
            return null;
        }));
    }

    @Override
    public CompletionStage<BigDecimal> spent(String counter) {
        return async(() -> jdbi.withHandle(h -> h.createQuery("SELECT spent FROM budget_counters WHERE counter = :c").bind("c", counter)
                .mapTo(BigDecimal.class).findOne().orElse(BigDecimal.ZERO)));
    }

    private <T> CompletionStage<T> async(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, executor);
    }
}
