package io.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.db.PostgresTestSchema;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Conversations stored before V2 get their running token totals and system prompt bounds computed by V2. */
class MigrationBackfillTest {
    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void v2ComputesTotalsForExistingConversations(String database) throws Exception {
        PostgresTestSchema schema = database.equals("postgres") ? new PostgresTestSchema() : null;
        String url = schema != null ? schema.jdbcUrl() : "jdbc:h2:file:" + Files.createTempDirectory("sluice-mig") + "/db";
        String user = schema != null ? schema.user() : "sa";
        String password = schema != null ? schema.password() : "";
        try {
            Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration/common").target("1").load().migrate();
            try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
                s.execute("INSERT INTO conversations (id, owner, created_at, updated_at, last_seq) VALUES ('c1', 'o', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 4)");
                s.execute("INSERT INTO conversations (id, owner, created_at, updated_at, last_seq) VALUES ('c2', 'o', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)");
                s.execute("""
                        INSERT INTO messages (conversation_id, seq, role, content, token_count, created_at) VALUES
                          ('c1', 1, 'system', 'Be kind.', 7, CURRENT_TIMESTAMP),
                          ('c1', 2, 'user', 'hi', 10, CURRENT_TIMESTAMP),
                          ('c1', 3, 'assistant', 'hello', 20, CURRENT_TIMESTAMP),
                          ('c1', 4, 'system', 'later', 5, CURRENT_TIMESTAMP),
                          ('c2', 1, 'system', 'only a prompt', 9, CURRENT_TIMESTAMP)""");
            }
            Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration/common").load().migrate();

            try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
                List<Long> before = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT tokens_before FROM messages WHERE conversation_id = 'c1' ORDER BY seq")) {
                    while (rs.next()) before.add(rs.getLong(1));
                }
                assertThat(before).containsExactly(0L, 7L, 17L, 37L);
                try (ResultSet rs = s.executeQuery("SELECT id, total_tokens, system_seq_end FROM conversations ORDER BY id")) {
                    rs.next();
                    assertThat(rs.getLong(2)).isEqualTo(42);
                    assertThat(rs.getLong(3)).isEqualTo(1);
                    rs.next();
                    assertThat(rs.getLong(2)).isEqualTo(9);
                    assertThat(rs.getLong(3)).as("a conversation of system messages only").isEqualTo(1);
                }
            }
        } finally {
            if (schema != null) schema.close();
        }
    }

    /** A ledger kept before V26 and V27: its rows move into monthly partitions, and the rollups start from their sums. */
    @org.junit.jupiter.api.Test
    void anExistingLedgerIsPartitionedByMonthAndRolledUp() throws Exception {
        try (PostgresTestSchema schema = new PostgresTestSchema()) {
            String[] locations = {"classpath:db/migration/common", "classpath:db/migration/postgresql"};
            Flyway.configure().dataSource(schema.jdbcUrl(), schema.user(), schema.password()).locations(locations).target("25").load().migrate();
            try (Connection c = DriverManager.getConnection(schema.jdbcUrl(), schema.user(), schema.password()); Statement s = c.createStatement()) {
                for (String at : List.of("LOCALTIMESTAMP - INTERVAL '14 months'", "LOCALTIMESTAMP - INTERVAL '1 month'", "LOCALTIMESTAMP")) {
                    s.execute("""
                            INSERT INTO usage_ledger (request_id, attempt, owner, end_user, model, endpoint, input_tokens, output_tokens, cached_tokens,
                                                      cache_write_tokens, cost, latency_ms, outcome, created_at)
                            VALUES ('r' || md5(random()::text), 1, 'acme', 'alice', 'm', 'e', 10, 5, 0, 0, 0.000000250, 3, 'OK', %s)""".formatted(at));
                }
            }
            Flyway.configure().dataSource(schema.jdbcUrl(), schema.user(), schema.password()).locations(locations).load().migrate();

            try (Connection c = DriverManager.getConnection(schema.jdbcUrl(), schema.user(), schema.password()); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*), COUNT(DISTINCT tableoid) FROM usage_ledger")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(3);
                    assertThat(rs.getLong(2)).as("each in its month").isEqualTo(3);
                }
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM pg_inherits WHERE inhparent = 'usage_ledger'::regclass")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("15 months to now, 2 ahead, and the default").isEqualTo(18);
                }
                try (ResultSet rs = s.executeQuery("SELECT SUM(requests), SUM(cost) FROM usage_daily UNION ALL SELECT SUM(requests), SUM(cost) FROM usage_daily_users")) {
                    for (int i = 0; i < 2; i++) {
                        rs.next();
                        assertThat(rs.getLong(1)).isEqualTo(3);
                        assertThat(rs.getBigDecimal(2)).isEqualByComparingTo("0.00000075");
                    }
                }
            }
        }
    }
}
