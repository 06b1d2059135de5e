package io.sluice.jdbc;

import io.sluice.domain.budget.BudgetCheck;
import io.sluice.ports.out.BudgetStore;
import java.math.BigDecimal;
import java.time.Instant;
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
 * checks them all, then adds to each and writes its hold rows, in one transaction. Settling or expiring a hold takes
 * its rows, locked, so whichever comes first counts it and the other finds it gone (or marked swept). Counters live in
 * the database with the ledger, so they are never lost and need no rebuild. Thread-safe.
 */
final class JdbcBudgetStore implements BudgetStore {
    /** How long a swept hold is kept for a late settlement of its call, before the sweep forgets it. */
    private static final long SWEPT_KEPT_MILLIS = 86_400_000L;

    private final Jdbi jdbi;
    private final StorageExecutor executor;

    JdbcBudgetStore(Jdbi jdbi, StorageExecutor executor) {
        this.jdbi = jdbi;
        this.executor = executor;
    }

    @Override
    public CompletionStage<Reservation> reserve(Hold hold) {
        List<BudgetCheck> ordered = ordered(hold.checks());
        return async(() -> {
            jdbi.useHandle(h -> ordered.forEach(c -> ensureRow(h, c.counter())));
            return jdbi.inTransaction(h -> {
                boolean wait = false;
                for (BudgetCheck c : ordered) {
                    var row = h.createQuery("SELECT spent, reserved FROM budget_counters WHERE counter = :c FOR UPDATE")
                            .bind("c", c.counter()).map((rs, ctx) -> new BigDecimal[] {rs.getBigDecimal(1), rs.getBigDecimal(2)}).one();
                    if (row[0].add(hold.amount()).compareTo(c.limitUsd()) > 0) return new Reservation(Outcome.EXCEEDED, c);
                    if (row[0].add(row[1]).add(hold.amount()).compareTo(c.limitUsd()) > 0) wait = true;
                }
                if (wait) return new Reservation(Outcome.WAIT, null);
                for (BudgetCheck c : ordered) {
                    h.createUpdate("UPDATE budget_counters SET reserved = reserved + :a WHERE counter = :c").bind("a", hold.amount())
                            .bind("c", c.counter()).execute();
                    h.createUpdate("INSERT INTO budget_holds (hold_id, counter, amount, expires_at) VALUES (:h, :c, :a, :e)")
                            .bind("h", hold.id()).bind("c", c.counter()).bind("a", hold.amount()).bind("e", hold.expiresAt().toEpochMilli())
                            .execute();
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
    public CompletionStage<Void> settle(Hold hold, BigDecimal actual, Instant billedAt) {
        List<BudgetCheck> ordered = ordered(hold.checks());
        return async(() -> jdbi.inTransaction(h -> {
            for (BudgetCheck c : ordered) {
                var held = h.createQuery("SELECT amount, swept_billed FROM budget_holds WHERE hold_id = :h AND counter = :c FOR UPDATE")
                        .bind("h", hold.id()).bind("c", c.counter())
                        .map((rs, ctx) -> new BigDecimal[] {rs.getBigDecimal(1), rs.getBigDecimal(2)}).findOne();
                if (held.isEmpty()) continue; // settled already
                BigDecimal swept = held.get()[1];
                BigDecimal release = swept == null ? held.get()[0] : BigDecimal.ZERO;
                BigDecimal spend = swept == null ? actual : actual.subtract(swept);
                h.createUpdate("UPDATE budget_counters SET reserved = reserved - :r, spent = spent + :a WHERE counter = :c")
                        .bind("r", release).bind("a", spend).bind("c", c.counter()).execute();
                h.createUpdate("DELETE FROM budget_holds WHERE hold_id = :h AND counter = :c").bind("h", hold.id()).bind("c", c.counter())
                        .execute();
            }
            return null;
        }));
    }

    @Override
    public CompletionStage<List<String>> expired(Instant now, int max) {
        return async(() -> jdbi.withHandle(h -> {
            h.createUpdate("DELETE FROM budget_holds WHERE swept_billed IS NOT NULL AND expires_at < :old")
                    .bind("old", now.toEpochMilli() - SWEPT_KEPT_MILLIS).execute();
            return h.createQuery("SELECT DISTINCT hold_id FROM budget_holds WHERE expires_at < :now AND swept_billed IS NULL")
                    .bind("now", now.toEpochMilli()).setMaxRows(max).mapTo(String.class).list();
        }));
    }

    @Override
    public CompletionStage<Void> expire(String holdId, BigDecimal billed) {
        return async(() -> jdbi.inTransaction(h -> {
            var rows = h.createQuery("""
                            SELECT counter, amount FROM budget_holds WHERE hold_id = :h AND swept_billed IS NULL ORDER BY counter FOR UPDATE""")
                    .bind("h", holdId).map((rs, ctx) -> new Object[] {rs.getString(1), rs.getBigDecimal(2)}).list();
            for (Object[] row : rows) {
                h.createUpdate("UPDATE budget_counters SET reserved = reserved - :r, spent = spent + :b WHERE counter = :c")
                        .bind("r", (BigDecimal) row[1]).bind("b", billed).bind("c", (String) row[0]).execute();
            }
            h.createUpdate("UPDATE budget_holds SET swept_billed = :b WHERE hold_id = :h AND swept_billed IS NULL").bind("b", billed)
                    .bind("h", holdId).execute();
            return null;
        }));
    }

    @Override
    public CompletionStage<BigDecimal> spent(String counter) {
        return column("spent", counter);
    }

    @Override
    public CompletionStage<BigDecimal> reserved(String counter) {
        return column("reserved", counter);
    }

    @Override
    public CompletionStage<List<Counter>> counters(String prefix, List<String> suffixes, int max) {
        StringBuilder sql = new StringBuilder("SELECT counter, spent, reserved FROM budget_counters WHERE counter LIKE :p ESCAPE '!'");
        if (!suffixes.isEmpty()) {
            sql.append(" AND (");
            for (int i = 0; i < suffixes.size(); i++) sql.append(i == 0 ? "" : " OR ").append("counter LIKE :s").append(i).append(" ESCAPE '!'");
            sql.append(')');
        }
        sql.append(" ORDER BY spent DESC, counter LIMIT :max");
        return async(() -> jdbi.withHandle(h -> {
            var select = h.createQuery(sql.toString()).bind("p", literal(prefix) + "%").bind("max", max);
            for (int i = 0; i < suffixes.size(); i++) select.bind("s" + i, "%" + literal(suffixes.get(i)));
            return select.map((rs, ctx) -> new Counter(rs.getString("counter"), rs.getBigDecimal("spent"), rs.getBigDecimal("reserved"))).list();
        }));
    }

    /**
     * {@code text} as a LIKE pattern that matches only itself. The escape is {@code !}, not a backslash: JDBI reads a
     * backslash in a quoted literal as escaping the quote, and the named parameters after it would be taken for text.
     */
    private static String literal(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    /** One counter's column; {@code column} is one of this class's own names, never request text. */
    private CompletionStage<BigDecimal> column(String column, String counter) {
        return async(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + column + " FROM budget_counters WHERE counter = :c")
                .bind("c", counter).mapTo(BigDecimal.class).findOne().orElse(BigDecimal.ZERO)));
    }

    private static List<BudgetCheck> ordered(List<BudgetCheck> checks) {
        return checks.stream().sorted(Comparator.comparing(BudgetCheck::counter)).toList();
    }

    private <T> CompletionStage<T> async(Supplier<T> work) {
        return executor.run(work);
    }
}
