package io.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.ConversationId;
import io.sluice.jdbc.JdbcStorage;
import io.sluice.jdbc.StorageSettings;
import io.sluice.ports.out.ConversationStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Conversations of a given length in the benchmark schema of the local PostgreSQL ({@code sluice_bench}), made once
 * with {@code generate_series} and kept between runs: a system prompt, then alternating user and assistant messages
 * of 20 tokens each, and a summary covering all but the newest 30.
 */
final class BenchHistories {
    static final String SERVER = System.getenv().getOrDefault("SLUICE_BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = System.getenv().getOrDefault("SLUICE_BENCH_PG_USER", "postgres");
    static final String SCHEMA = "sluice_bench";
    static final int TOKENS_PER_MESSAGE = 20;

    private BenchHistories() {}

    static JdbcStorage open() throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER, USER, null); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
        }
        return JdbcStorage.open(new StorageSettings(StorageSettings.Dialect.POSTGRESQL, SERVER + "?currentSchema=" + SCHEMA, USER, null, 4));
    }

    static ConversationStore store(JdbcStorage storage) {
        return storage.conversations(new ObjectMapper());
    }

    /** The id of the benchmark conversation of {@code messages} messages, created on first use. */
    static ConversationId conversation(long messages) throws SQLException {
        ConversationId id = new ConversationId(String.format("conv_%032x", messages));
        try (Connection c = DriverManager.getConnection(SERVER + "?currentSchema=" + SCHEMA, USER, null)) {
            try (PreparedStatement q = c.prepareStatement("SELECT last_seq FROM conversations WHERE id = ?")) {
                q.setString(1, id.value());
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next() && rs.getLong(1) == messages + 1) return id;
                }
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM conversations WHERE id = '" + id.value() + "'");
                s.execute("INSERT INTO conversations (id, owner, created_at, updated_at, last_seq, total_tokens, system_seq_end,"
                        + " summary, summary_tokens, summary_through_seq) VALUES ('" + id.value() + "', 'bench', now(), now(), "
                        + (messages + 1) + ", " + (messages + 1) * TOKENS_PER_MESSAGE + ", 1, 'Earlier: orders, refunds and deliveries.', 15, "
                        + Math.max(1, messages + 1 - 30) + ")");
                s.execute("INSERT INTO messages (conversation_id, seq, role, content, token_count, tokens_before, model, created_at)"
                        + " VALUES ('" + id.value() + "', 1, 'system', 'You are the support agent of Acme Parcels.', 20, 0, 'gpt-4o-mini', now())");
                s.execute("INSERT INTO messages (conversation_id, seq, role, content, token_count, tokens_before, model, created_at)"
                        + " SELECT '" + id.value() + "', g, CASE WHEN g % 2 = 0 THEN 'user' ELSE 'assistant' END,"
                        + " 'Message ' || g || ' about order ' || (g::bigint * 7919 % 100000) || ' and its delivery to district ' || (g % 97),"
                        + " " + TOKENS_PER_MESSAGE + ", (g - 1) * " + TOKENS_PER_MESSAGE + ", 'gpt-4o-mini', now()"
                        + " FROM generate_series(2, " + (messages + 1) + ") g");
                s.execute("ANALYZE messages");
            }
            c.commit();
        }
        return id;
    }

    /** The plan PostgreSQL uses to read a token-budget window: it must be an index range, whatever the history. */
    static String explainWindow(ConversationId id, long minTokensBefore) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "?currentSchema=" + SCHEMA, USER, null);
             PreparedStatement q = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) SELECT seq, role, content FROM messages"
                     + " WHERE conversation_id = ? AND seq >= 2 AND tokens_before >= ? ORDER BY seq")) {
            q.setString(1, id.value());
            q.setLong(2, minTokensBefore);
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) plan.append(rs.getString(1)).append('\n');
            }
            return plan.toString();
        }
    }
}
