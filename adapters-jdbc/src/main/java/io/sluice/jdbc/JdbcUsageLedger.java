package io.sluice.jdbc;

import io.sluice.domain.usage.SpendFilter;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.domain.usage.UsageQuery;
import io.sluice.domain.usage.UsageTotal;
import io.sluice.ports.out.UsageLedger;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** {@link UsageLedger} on JDBI, for PostgreSQL and H2 alike (on PostgreSQL, a write is one statement: {@link LedgerRows}). Thread-safe. */
final class JdbcUsageLedger implements UsageLedger {
    /** The column each report dimension groups by; a fixed list, so no request text reaches the SQL. */
    private static final Map<UsageQuery.Dimension, String> COLUMNS = new EnumMap<>(Map.of(
            UsageQuery.Dimension.DAY, "CAST(created_at AS DATE)",
            UsageQuery.Dimension.MODEL, "model",
            UsageQuery.Dimension.OWNER, "owner",
            UsageQuery.Dimension.KEY, "api_key_id",
            UsageQuery.Dimension.USER, "end_user",
            UsageQuery.Dimension.CONVERSATION, "conversation_id",
            UsageQuery.Dimension.ROUTE, "route"));

    private final Jdbi jdbi;
    private final StorageExecutor executor;
    private final boolean postgres;

    JdbcUsageLedger(Jdbi jdbi, StorageExecutor executor, boolean postgres) {
        this.jdbi = jdbi;
        this.executor = executor;
        this.postgres = postgres;
    }

    @Override
    public CompletionStage<Void> record(List<UsageEntry> entries) {
        if (entries.isEmpty()) return CompletableFuture.completedFuture(null);
        // one statement is atomic on its own: no transaction, so no separate round trip for its commit
        boolean oneStatement = postgres && entries.size() <= LedgerRows.MAX_PER_STATEMENT;
        return async(() -> {
            if (oneStatement) jdbi.useHandle(h -> insert(h, entries, true));
            else jdbi.useTransaction(h -> insert(h, entries, postgres));
            return null;
        });
    }

    /** Inserts entries not yet in the ledger, on the caller's handle (and so in its transaction). */
    static void insert(Handle h, List<UsageEntry> entries, boolean postgres) {
        if (postgres) {
            LedgerRows.insert(h, entries);
            return;
        }
        for (UsageEntry e : entries) LedgerRows.bind(h.createUpdate(PORTABLE_INSERT), List.of(e)).execute();
    }

    /** One entry, skipped when already kept, in SQL that H2 runs too (its parameters named as {@link LedgerRows#bind} names them). */
    private static final String PORTABLE_INSERT = """
            INSERT INTO usage_ledger (request_id, attempt, owner, api_key_id, end_user, conversation_id, route, model, endpoint, input_tokens,
                                      output_tokens, cached_tokens, cache_write_tokens, cost, latency_ms, outcome, created_at, price_source,
                                      cache_saved, cache_similarity)
            SELECT :request0, :attempt0, :owner0, :key0, :user0, :conversation0, :route0, :model0, :endpoint0, :input0, :output0, :cached0,
                   :cacheWrite0, :cost0, :latency0, :outcome0, :at0, :priceSource0, :saved0, :similarity0
            WHERE NOT EXISTS (SELECT 1 FROM usage_ledger WHERE request_id = :request0 AND attempt = :attempt0)""";

    @Override
    public CompletionStage<List<UsageTotal>> totals(UsageQuery query) {
        List<String> columns = query.groupBy().stream().map(COLUMNS::get).toList();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) sql.append(columns.get(i)).append(" AS g").append(i).append(", ");
        sql.append("COUNT(*) AS requests, SUM(input_tokens) AS input, SUM(output_tokens) AS output, SUM(cached_tokens) AS cached, ")
                .append("SUM(cost) AS cost, SUM(CASE WHEN outcome = 'CACHE_HIT' THEN 1 ELSE 0 END) AS hits, SUM(cache_saved) AS saved ")
                .append("FROM usage_ledger WHERE created_at >= :from AND created_at < :to");
        if (query.owner().isPresent()) sql.append(" AND owner = :owner");
        if (!columns.isEmpty()) {
            String list = String.join(", ", columns);
            sql.append(" GROUP BY ").append(list).append(" ORDER BY ").append(list);
        }
        return async(() -> jdbi.withHandle(h -> {
            var select = h.createQuery(sql.toString()).bind("from", Timestamp.from(query.from())).bind("to", Timestamp.from(query.to()));
            query.owner().ifPresent(owner -> select.bind("owner", owner));
            return select.map((rs, ctx) -> {
                Map<UsageQuery.Dimension, String> group = new EnumMap<>(UsageQuery.Dimension.class);
                for (int i = 0; i < columns.size(); i++) group.put(query.groupBy().get(i), rs.getString("g" + i));
                return new UsageTotal(group, rs.getLong("requests"), rs.getLong("input"), rs.getLong("output"), rs.getLong("cached"),
                        dollars(rs.getBigDecimal("cost")), rs.getLong("hits"), dollars(rs.getBigDecimal("saved")));
            }).list();
        })).thenApply(totals -> totals.size() == 1 && totals.getFirst().requests() == 0 ? new ArrayList<>() : totals);
    }

    private static BigDecimal dollars(BigDecimal sum) {
        return sum == null ? BigDecimal.ZERO.setScale(9) : sum.setScale(9);
    }

    @Override
    public CompletionStage<BigDecimal> spent(SpendFilter filter) {
        StringBuilder sql = new StringBuilder("SELECT COALESCE(SUM(cost), 0) FROM usage_ledger WHERE created_at >= :from AND created_at < :to");
        filter.owner().ifPresent(v -> sql.append(" AND owner = :owner"));
        filter.user().ifPresent(v -> sql.append(" AND end_user = :user"));
        filter.conversationId().ifPresent(v -> sql.append(" AND conversation_id = :conversation"));
        filter.apiKeyId().ifPresent(v -> sql.append(" AND api_key_id = :key"));
        return async(() -> jdbi.withHandle(h -> {
            var select = h.createQuery(sql.toString()).bind("from", Timestamp.from(filter.from())).bind("to", Timestamp.from(filter.to()));
            filter.owner().ifPresent(v -> select.bind("owner", v));
            filter.user().ifPresent(v -> select.bind("user", v));
            filter.conversationId().ifPresent(v -> select.bind("conversation", v));
            filter.apiKeyId().ifPresent(v -> select.bind("key", v));
            return select.mapTo(BigDecimal.class).one();
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
