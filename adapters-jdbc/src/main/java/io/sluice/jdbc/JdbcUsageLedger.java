package io.sluice.jdbc;

import io.sluice.domain.usage.SpendFilter;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.domain.usage.UsageQuery;
import io.sluice.domain.usage.UsageTotal;
import io.sluice.ports.out.UsageLedger;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link UsageLedger} on JDBI, for PostgreSQL and H2 alike (on PostgreSQL, a write is one statement: {@link LedgerRows}).
 * Totals and budget windows are read from the day rollups ({@link LedgerReads}). Thread-safe.
 */
final class JdbcUsageLedger implements UsageLedger {
    private final Jdbi jdbi;
    private final StorageExecutor executor;
    private final boolean postgres;
    private final Clock clock;
    private final int rawDays;

    /** {@code rawDays}: the days raw rows are kept (0: for ever), before which a day is read whole from its rollup. */
    JdbcUsageLedger(Jdbi jdbi, StorageExecutor executor, boolean postgres, Clock clock, int rawDays) {
        this.jdbi = jdbi;
        this.executor = executor;
        this.postgres = postgres;
        this.clock = clock;
        this.rawDays = rawDays;
    }

    private java.time.LocalDate rawFrom(LocalDateTime now) {
        return rawDays == 0 ? null : now.toLocalDate().minusDays(rawDays);
    }

    @Override
    public CompletionStage<Void> record(List<UsageEntry> entries) {
        if (entries.isEmpty()) return CompletableFuture.completedFuture(null);
        // one statement is atomic on its own: no transaction, so no separate round trip for its commit
        boolean oneStatement = postgres && entries.size() <= LedgerRows.MAX_PER_STATEMENT;
        return async(() -> {
            if (oneStatement) jdbi.useHandle(h -> insert(h, entries, true));
            else LedgerRollups.billing(postgres, () -> jdbi.inTransaction(h -> {
                insert(h, entries, postgres);
                return null;
            }));
            return null;
        });
    }

    /** Inserts entries not yet in the ledger, on the caller's handle (and so in its transaction). */
    static void insert(Handle h, List<UsageEntry> entries, boolean postgres) {
        if (postgres) {
            LedgerRows.insert(h, entries);
            return;
        }
        for (UsageEntry e : entries) {
            if (LedgerRows.bind(h.createUpdate(PORTABLE_INSERT), List.of(e)).execute() == 0) continue;
            h.createUpdate(PORTABLE_PENDING).bind("request", e.requestId()).bind("attempt", e.attempt()).execute();
        }
    }

    /** The rollup row of the entry just inserted. */
    private static final String PORTABLE_PENDING = LedgerRows.pendingFrom("usage_ledger WHERE request_id = :request AND attempt = :attempt", "", "end_user");

    /** One entry, skipped when already kept, in SQL that H2 runs too (its parameters named as {@link LedgerRows#bind} names them). */
    private static final String PORTABLE_INSERT = LedgerRows.INSERT + """

            SELECT :request0, :attempt0, :owner0, :key0, :user0, :conversation0, :route0, :model0, :endpoint0, :input0, :output0, :cached0,
                   :cacheWrite0, :cost0, :latency0, :outcome0, :at0, :priceSource0, :saved0, :similarity0
            WHERE NOT EXISTS (SELECT 1 FROM usage_ledger WHERE request_id = :request0 AND attempt = :attempt0)""";

    @Override
    public CompletionStage<List<UsageTotal>> totals(UsageQuery query) {
        LedgerReads.Filter filter = new LedgerReads.Filter(query.owner(), Optional.empty(), Optional.empty(), Optional.empty());
        return async(() -> jdbi.withHandle(h -> {
            LocalDateTime now = local(clock.instant());
            LedgerReads.Sql sql = LedgerReads.totals(filter, local(query.from()), local(query.to()), query.groupBy(), now, rawFrom(now));
            return h.createQuery(sql.text()).bindMap(sql.params()).map((rs, ctx) -> {
                Map<UsageQuery.Dimension, String> group = new EnumMap<>(UsageQuery.Dimension.class);
                for (int i = 0; i < query.groupBy().size(); i++) group.put(query.groupBy().get(i), rs.getString("g" + i));
                return new UsageTotal(group, rs.getLong("requests"), rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                        rs.getLong("cached_tokens"), dollars(rs.getBigDecimal("cost")), rs.getLong("cache_hits"), dollars(rs.getBigDecimal("cache_saved")));
            }).list();
        }));
    }

    /** An instant as the ledger's TIMESTAMP column holds it (the time in the JVM's zone, as {@link Timestamp#from} binds it). */
    static LocalDateTime local(Instant instant) {
        return Timestamp.from(instant).toLocalDateTime();
    }

    private static BigDecimal dollars(BigDecimal sum) {
        return sum == null ? BigDecimal.ZERO.setScale(9) : sum.setScale(9);
    }

    @Override
    public CompletionStage<BigDecimal> spent(SpendFilter filter) {
        LedgerReads.Filter which = new LedgerReads.Filter(filter.owner(), filter.user(), filter.conversationId(), filter.apiKeyId());
        return async(() -> jdbi.withHandle(h -> {
            LocalDateTime now = local(clock.instant());
            LedgerReads.Sql sql = LedgerReads.totals(which, local(filter.from()), local(filter.to()), List.of(), now, rawFrom(now));
            return h.createQuery(sql.text()).bindMap(sql.params()).map((rs, ctx) -> rs.getBigDecimal("cost")).findFirst()
                    .map(JdbcUsageLedger::dollars).orElse(BigDecimal.ZERO.setScale(9));
        }));
    }

    @Override
    public CompletionStage<Map<String, BigDecimal>> billed(Collection<String> requestIds) {
        if (requestIds.isEmpty()) return CompletableFuture.completedFuture(Map.of());
        return async(() -> jdbi.withHandle(h -> {
            Map<String, BigDecimal> billed = new HashMap<>();
            h.createQuery("SELECT request_id, SUM(cost) FROM usage_ledger WHERE request_id IN (<ids>) GROUP BY request_id")
                    .bindList("ids", List.copyOf(requestIds))
                    .map((rs, ctx) -> billed.put(rs.getString(1), rs.getBigDecimal(2))).list();
            return billed;
        }));
    }

    private <T> CompletionStage<T> async(Supplier<T> work) {
        return executor.run(work);
    }
}
