package io.sluice.jdbc;

import io.sluice.domain.Conversation;
import io.sluice.domain.usage.UsageEntry;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * One conversation turn stored in one PostgreSQL statement, so one round trip and no separate commit: an upsert of the
 * conversation row adds the turn to its counters (locking the row, so concurrent turns never share a seq) and returns
 * where the turn starts, and the messages and the bill are inserted from that in the same statement. Its values are
 * bound as parameters, which for one turn costs both sides less than {@link PostgresTurns}' arrays (0.48 against 0.66
 * ms of PostgreSQL's CPU a turn, docs/performance.md); several turns go together as arrays.
 */
final class PostgresTurn {
    /** Ten parameters a message: a turn longer than this (an imported history) takes the portable path instead. */
    static final int MAX_MESSAGES = 1_000;

    private PostgresTurn() {}

    static boolean fits(Turn turn, List<UsageEntry> usage) {
        return !turn.rows().isEmpty() && turn.rows().size() <= MAX_MESSAGES && usage.size() <= LedgerRows.MAX_PER_STATEMENT;
    }

    /**
     * Runs {@link #sql} on {@code h}'s connection for {@code turn} of {@code c} (its metadata as the JSON text the column
     * holds), stored at {@code now}; returns the conversation's last seq before the turn.
     */
    static long append(Handle h, Conversation c, String metadata, Turn turn, List<UsageEntry> usage, Instant now) {
        Params params = new Params(PARAMS + PER_MESSAGE * turn.rows().size() + LedgerRows.PER_ENTRY * usage.size())
                .text("id", c.id().value()).text("owner", c.owner()).text("user", c.user()).put("created", Timestamp.from(c.created()))
                .text("metadata", metadata).put("active", c.active()).text("strategy", c.defaultStrategy().map(Object::toString).orElse(null));
        params.put("now", Timestamp.from(now)).put("count", (long) turn.rows().size()).put("tokens", turn.tokens())
                .put("leadingSystem", (long) turn.leadingSystem());
        for (Turn.Row r : turn.rows()) {
            String i = Integer.toString(r.n());
            params.text("role" + i, r.role()).text("content" + i, r.content()).text("name" + i, r.name())
                    .text("toolCalls" + i, r.toolCalls()).text("toolCallId" + i, r.toolCallId()).put("tokens" + i, r.tokens())
                    .put("running" + i, r.tokensBeforeInTurn()).text("model" + i, r.model()).text("metadata" + i, r.metadata())
                    .text("parts" + i, r.contentParts());
        }
        LedgerRows.params(usage, params);
        return statementFor(turn.rows().size(), usage.size()).run(h, params, statement -> {
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** The parameters a turn's statement holds, less its messages' and entries'. */
    static final int PARAMS = 11;
    /** And a message's. */
    static final int PER_MESSAGE = 10;

    /** Turns of up to this many messages and entries (every chat turn) are put together once; others (imports) each time. */
    private static final int CACHED_MESSAGES = 8, CACHED_ENTRIES = 4;
    private static final PositionalSql[][] CACHED = new PositionalSql[CACHED_MESSAGES + 1][CACHED_ENTRIES + 1];

    private static PositionalSql statementFor(int messages, int entries) {
        if (messages > CACHED_MESSAGES || entries > CACHED_ENTRIES) return sql(messages, entries);
        PositionalSql cached = CACHED[messages][entries]; // a race builds it twice, harmlessly
        if (cached == null) CACHED[messages][entries] = cached = sql(messages, entries);
        return cached;
    }

    /** A conversation's row as a turn writes it: its counters are what the turn adds, for a new conversation. */
    static final String INSERT_CONVERSATION = """
            INSERT INTO conversations AS c (id, owner, end_user, created_at, updated_at, metadata, active, context_strategy,
                                            last_seq, total_tokens, system_seq_end)""";

    /** A turn's conversation already there: the row the turn would have inserted is added to its counters. */
    static final String ADD_TO_COUNTERS = """
            ON CONFLICT (id) DO UPDATE SET
                last_seq = c.last_seq + EXCLUDED.last_seq,
                total_tokens = c.total_tokens + EXCLUDED.total_tokens,
                system_seq_end = CASE WHEN c.system_seq_end = c.last_seq THEN c.system_seq_end + EXCLUDED.system_seq_end
                                      ELSE c.system_seq_end END,
                updated_at = EXCLUDED.updated_at""";

    static final String INSERT_MESSAGES = """
            INSERT INTO messages (conversation_id, seq, role, content, name, tool_calls, tool_call_id, token_count, tokens_before,
                                  model, created_at, metadata, content_parts)""";

    private static final PositionalSql HEAD = PositionalSql.parse("WITH conversation AS (\n" + INSERT_CONVERSATION + """

                VALUES (:id, :owner, :user, :created, :now, :metadata, :active, :strategy, :count, :tokens, :leadingSystem)
            """ + ADD_TO_COUNTERS + """

                RETURNING c.last_seq - :count AS seq_before, c.total_tokens - :tokens AS tokens_before
            ), added AS (
            """ + INSERT_MESSAGES + """

                SELECT :id, t.seq_before + m.n, m.role, m.content, m.name, m.tool_calls, m.tool_call_id, m.token_count,
                       t.tokens_before + m.running, m.model, CAST(:now AS TIMESTAMP WITH TIME ZONE), m.metadata, m.content_parts
                FROM conversation t, (VALUES\s""");

    /** A message's values after its number within the turn, its names numbered by that. */
    private static final PositionalSql MESSAGE = PositionalSql.parse(
            ":role, :content, :name, :toolCalls, :toolCallId, :tokens, :running, :model, :metadata, :parts)");

    static PositionalSql sql(int messages, int entries) {
        PositionalSql.Builder sql = PositionalSql.builder().add(HEAD);
        for (int n = 1; n <= messages; n++) sql.text(n > 1 ? ", (" + n + ", " : "(" + n + ", ").add(MESSAGE, n);
        sql.text(") AS m (n, role, content, name, tool_calls, tool_call_id, token_count, running, model, metadata, content_parts)\n)");
        if (entries > 0) LedgerRows.ctes(sql.text(",\n"), entries);
        return sql.text("\nSELECT seq_before FROM conversation").build();
    }
}
