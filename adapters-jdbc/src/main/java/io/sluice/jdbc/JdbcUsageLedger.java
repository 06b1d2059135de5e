package io.sluice.jdbc;

import io.sluice.domain.usage.UsageEntry;
import io.sluice.domain.usage.UsageQuery;
import io.sluice.domain.usage.UsageTotal;
import io.sluice.ports.out.UsageLedger;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** {@link UsageLedger} on JDBI, for PostgreSQL and H2 alike. Thread-safe. */
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
    private final Executor executor;

    JdbcUsageLedger(Jdbi jdbi, Executor executor) {
        this.jdbi = jdbi;
        this.executor = executor;
    }

    @Override
    public CompletionStage<Void> record(List<UsageEntry> entries) {
        if (entries.isEmpty()) return CompletableFuture.completedFuture(null);
        return async(() -> jdbi.inTransaction(h -> {
            insert(h, entries);
            return null;
        }));
    }

    /** Inserts entries not yet in the ledger, on the caller's handle (and so in its transaction). */
    static void insert(Handle h, List<UsageEntry> entries) {
        for (UsageEntry e : entries) {
            h.createUpdate("""
                            INSERT INTO usage_ledger (request_id, attempt, owner, api_key_id, end_user, conversation_id, route, model, endpoint, input_tokens,
                                                      output_tokens, cached_tokens, cache_write_tokens, cost, latency_ms, outcome, created_at)
                            SELECT :request, :attempt, :owner, :key, :user, :conversation, :route, :model, :endpoint, :input, :output, :cached,
                                   :cacheWrite, :cost, :latency, :outcome, :at
                            WHERE NOT EXISTS (SELECT 1 FROM usage_ledger WHERE request_id = :request AND attempt = :attempt)""")
                    .bind("request", e.requestId()).bind("attempt", e.attempt()).bind("owner", e.owner()).bind("key", e.apiKeyId()).bind("user", e.user())
                    .bind("conversation", e.conversationId()).bind("route", e.route()).bind("model", e.model()).bind("endpoint", e.endpoint())
                    .bind("input", e.usage().promptTokens()).bind("output", e.usage().completionTokens())
                    .bind("cached", e.usage().cachedPromptTokens()).bind("cacheWrite", e.usage().cacheWriteTokens()).bind("cost", e.cost())
                    .bind("latency", e.latencyMillis()).bind("outcome", e.outcome().name()).bind("at", Timestamp.from(e.at()))
                    .execute();
        }
    }

    @Override
    public CompletionStage<List<UsageTotal>> totals(UsageQuery query) {
        List<String> columns = query.groupBy().stream().map(COLUMNS::get).toList();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) sql.append(columns.get(i)).append(" AS g").append(i).append(", ");
        sql.append("COUNT(*) AS requests, SUM(input_tokens) AS input, SUM(output_tokens) AS output, SUM(cached_tokens) AS cached, ")
                .append("SUM(cost) AS cost FROM usage_ledger WHERE created_at >= :from AND created_at < :to");
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
                BigDecimal cost = rs.getBigDecimal("cost");
                return new UsageTotal(group, rs.getLong("requests"), rs.getLong("input"), rs.getLong("output"), rs.getLong("cached"),
                        cost == null ? BigDecimal.ZERO.setScale(9) : cost.setScale(9));
            }).list();
        })).thenApply(totals -> totals.size() == 1 && totals.getFirst().requests() == 0 ? new ArrayList<>() : totals);
    }

    private <T> CompletionStage<T> async(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, executor);
    }
}
