package io.sluice.jdbc;

import static io.sluice.jdbc.UnnestColumns.column;

import io.sluice.domain.usage.UsageEntry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Usage ledger entries written as rows of one {@code INSERT}: on PostgreSQL, the primary key skips an entry already
 * kept ({@code ON CONFLICT DO NOTHING}), so any number of entries is one round trip instead of one per entry plus the
 * commit; the same statement adds what it inserted, and only that, to {@code usage_pending} for the day rollups
 * ({@link LedgerRollups}). The portable path (H2) is {@link JdbcUsageLedger#insert}.
 */
final class LedgerRows {
    /** Well under PostgreSQL's 65,535 parameters a statement (20 an entry). */
    static final int MAX_PER_STATEMENT = 1_000;

    private LedgerRows() {}

    /**
     * An entry's columns as arrays, for several conversations' turns in one statement ({@link PostgresTurns}). A group of
     * stateless bills keeps its rows of values: as arrays it cost PostgreSQL the same (0.10–0.12 ms of CPU a bill in
     * groups of 4, 0.05 in groups of 16) and is a statement of its own.
     */
    static final UnnestColumns<UsageEntry> ENTRIES = new UnnestColumns<>(List.of(
            column("request_id", "varchar", UsageEntry::requestId),
            column("attempt", "int4", e -> Integer.toString(e.attempt())),
            column("owner", "varchar", UsageEntry::owner),
            column("api_key_id", "varchar", UsageEntry::apiKeyId),
            column("end_user", "varchar", UsageEntry::user),
            column("conversation_id", "varchar", UsageEntry::conversationId),
            column("route", "varchar", UsageEntry::route),
            column("model", "varchar", UsageEntry::model),
            column("endpoint", "varchar", UsageEntry::endpoint),
            column("input_tokens", "int4", e -> Integer.toString(e.usage().promptTokens())),
            column("output_tokens", "int4", e -> Integer.toString(e.usage().completionTokens())),
            column("cached_tokens", "int4", e -> Integer.toString(e.usage().cachedPromptTokens())),
            column("cache_write_tokens", "int4", e -> Integer.toString(e.usage().cacheWriteTokens())),
            column("cost", "numeric", e -> e.cost().toPlainString()),
            column("latency_ms", "int8", e -> Long.toString(e.latencyMillis())),
            column("outcome", "varchar", e -> e.outcome().name()),
            // the column has no time zone: written as a bound java.sql.Timestamp is, the wall time in the JVM's zone
            column("created_at", "timestamp", e -> Timestamp.from(e.at()).toString()),
            column("price_source", "varchar", UsageEntry::priceSource),
            column("cache_saved", "numeric", e -> e.cacheHit() == null ? null : e.cacheHit().saved().toPlainString()),
            column("cache_similarity", "numeric", e -> e.cacheHit() == null ? null : similarity(e).toPlainString())));

    /** The head of every insert of entries, in {@link #ENTRIES}' order. */
    static final String INSERT = "INSERT INTO usage_ledger (" + ENTRIES.names() + ")";

    /** An entry already kept is skipped; the partition key is part of the primary key, so an entry written again carries the time it was made. */
    private static final String SKIP_KEPT = " ON CONFLICT (request_id, attempt, created_at) DO NOTHING RETURNING *";

    /** {@link #ctes} for entries as arrays: the parameters at their place are {@link #ENTRIES}'. */
    static final String CTES = "billed AS (" + INSERT + " SELECT * FROM " + ENTRIES.from("e") + SKIP_KEPT + "),\npending AS ("
            + pendingFrom("billed", "", "end_user") + ")";

    /** Inserts entries not yet in the ledger, in as few statements as the parameter limit allows, on the caller's handle. */
    static void insert(Handle h, List<UsageEntry> entries) {
        for (int from = 0; from < entries.size(); from += MAX_PER_STATEMENT) {
            List<UsageEntry> chunk = entries.subList(from, Math.min(entries.size(), from + MAX_PER_STATEMENT));
            statementFor(chunk.size()).run(h, params(chunk, new Params(PER_ENTRY * chunk.size())), PreparedStatement::executeUpdate);
        }
    }

    /** Parameters an entry. */
    static final int PER_ENTRY = 20;

    /**
     * A group commit writes up to about as many entries as there are calls in flight: statements for up to this many
     * are kept once put together (their SQL held: about 9 MB if every size were seen), larger ones (a batch's results)
     * are put together each time.
     */
    private static final int CACHED_UP_TO = 256;
    private static final PositionalSql[] CACHED = new PositionalSql[CACHED_UP_TO + 1];

    private static PositionalSql statementFor(int count) {
        if (count > CACHED_UP_TO) return statement(count);
        PositionalSql cached = CACHED[count]; // a race builds it twice, harmlessly
        if (cached == null) CACHED[count] = cached = statement(count);
        return cached;
    }

    /** The whole statement for {@code count} entries: {@link #ctes}' inserted entries and their pending rollup rows. */
    static PositionalSql statement(int count) {
        return billed(PositionalSql.builder().text("WITH "), count).text("\n").text(PENDING_FROM_BILLED).build();
    }

    /**
     * Adds {@code billed} (the entries inserted, not those already kept) and {@code pending} (their rollup rows) to
     * {@code sql}, as common table expressions of a larger statement (a stored turn's), its parameters numbered by entry.
     */
    static PositionalSql.Builder ctes(PositionalSql.Builder sql, int count) {
        return billed(sql, count).text(",\npending AS (").text(PENDING_FROM_BILLED).text(")");
    }

    /** Built once: every bill statement carries it. */
    private static final String PENDING_FROM_BILLED = pendingFrom("billed", "", "end_user");

    /**
     * {@code INSERT INTO usage_pending} of {@code source}'s rows (an entry's columns) grouped by the rollups' keys, each
     * sum with {@code sign} ({@code ""} or {@code "-"}), the end user as {@code user} ({@code end_user} or {@code NULL}).
     */
    static String pendingFrom(String source, String sign, String user) {
        return ("""
                INSERT INTO usage_pending (owner, bill_day, api_key_id, end_user, model, route, requests, input_tokens, output_tokens, cached_tokens, cost,
                                           cache_hits, cache_saved)
                SELECT owner, CAST(created_at AS DATE), COALESCE(api_key_id, ''), @user, model, COALESCE(route, ''), @COUNT(*), @SUM(input_tokens),
                       @SUM(output_tokens), @SUM(cached_tokens), @SUM(cost), @SUM(CASE WHEN outcome = 'CACHE_HIT' THEN 1 ELSE 0 END),
                       @COALESCE(SUM(cache_saved), 0)
                FROM #
                GROUP BY owner, CAST(created_at AS DATE), COALESCE(api_key_id, ''), end_user, model, COALESCE(route, '')""")
                .replace("@user", user).replace("@", sign).replace("#", source);
    }

    /** One entry's values, its names numbered by entry when put in a statement ({@link #params}). */
    private static final PositionalSql ENTRY = PositionalSql.parse("""
            (:request, :attempt, :owner, :key, :user, :conversation, :route, :model, :endpoint, :input, :output, :cached, :cacheWrite,
             :cost, :latency, :outcome, :at, :priceSource, :saved, :similarity)""");

    /** Adds {@code billed AS (INSERT INTO usage_ledger … ON CONFLICT DO NOTHING RETURNING …)} for {@code count} entries to {@code sql}. */
    private static PositionalSql.Builder billed(PositionalSql.Builder sql, int count) {
        sql.text("billed AS (" + INSERT + " VALUES ");
        for (int i = 0; i < count; i++) {
            if (i > 0) sql.text(", ");
            sql.add(ENTRY, i);
        }
        return sql.text(SKIP_KEPT + ")");
    }

    /** Binds {@code entries} to the parameters of {@link #statement} for as many. */
    static <S extends SqlStatement<S>> S bind(S statement, List<UsageEntry> entries) {
        return params(entries, new Params(PER_ENTRY * entries.size())).bindTo(statement);
    }

    /** Adds {@code entries}' values to {@code params}, named as the parameters of {@link #statement} for as many. */
    static Params params(List<UsageEntry> entries, Params params) {
        for (int i = 0; i < entries.size(); i++) {
            UsageEntry e = entries.get(i);
            params.text("request" + i, e.requestId()).put("attempt" + i, e.attempt()).text("owner" + i, e.owner())
                    .text("key" + i, e.apiKeyId()).text("user" + i, e.user()).text("conversation" + i, e.conversationId())
                    .text("route" + i, e.route()).text("model" + i, e.model()).text("endpoint" + i, e.endpoint())
                    .put("input" + i, e.usage().promptTokens()).put("output" + i, e.usage().completionTokens())
                    .put("cached" + i, e.usage().cachedPromptTokens()).put("cacheWrite" + i, e.usage().cacheWriteTokens())
                    .number("cost" + i, e.cost()).put("latency" + i, e.latencyMillis()).text("outcome" + i, e.outcome().name())
                    .put("at" + i, Timestamp.from(e.at())).text("priceSource" + i, e.priceSource())
                    .number("saved" + i, e.cacheHit() == null ? null : e.cacheHit().saved())
                    .number("similarity" + i, e.cacheHit() == null ? null : similarity(e));
        }
        return params;
    }

    /** A cache hit's similarity at its column's scale. */
    private static BigDecimal similarity(UsageEntry e) {
        return BigDecimal.valueOf(e.cacheHit().similarity()).setScale(5, RoundingMode.HALF_EVEN);
    }
}
