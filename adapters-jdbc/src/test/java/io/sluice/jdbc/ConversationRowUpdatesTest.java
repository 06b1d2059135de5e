package io.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.NewMessage;
import io.sluice.testkit.db.PostgresTestSchema;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A turn's update of its conversation's row leaves every index alone (V28), so PostgreSQL makes it a HOT update; and
 * the idle sweep, which now finds conversations by the day they were last active, still purges exactly those idle
 * since the cutoff, to the second.
 */
class ConversationRowUpdatesTest {
    private PostgresTestSchema schema;
    private JdbcStorage storage;

    @AfterEach
    void close() {
        if (storage != null) storage.close();
        if (schema != null) schema.close();
    }

    private ConversationStore open(String database) {
        schema = database.equals("postgres") ? new PostgresTestSchema() : null;
        storage = JdbcStorage.open(schema != null ? TestDatabases.postgres(schema) : TestDatabases.h2());
        return storage.conversations(new ObjectMapper());
    }

    private static Conversation turns(ConversationStore store, int count) {
        Conversation c = Conversation.start(ConversationId.random(), "acme", "alice", Instant.now());
        for (int i = 0; i < count; i++) {
            store.append(c, List.of(new NewMessage(ChatMessage.user("turn " + i), 3, "m", Map.of())), List.of()).toCompletableFuture().join();
        }
        return c;
    }

    @Test
    void aTurnUpdatesItsConversationRowInPlaceOnPostgres() throws Exception {
        turns(open("postgres"), 30);
        storage.close(); // a backend reports its table statistics when it ends
        storage = null;
        long[] updates = {0, 0};
        try (Connection c = DriverManager.getConnection(schema.jdbcUrl(), schema.user(), schema.password());
             PreparedStatement s = c.prepareStatement("""
                     SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = 'conversations'""")) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        updates[0] = rs.getLong(1);
                        updates[1] = rs.getLong(2);
                    }
                }
                return updates[0] >= 29;
            });
        }
        assertThat(updates[0]).as("the row updates of 29 turns after the first").isEqualTo(29);
        assertThat(updates[1]).as("HOT updates: no new index entries").isGreaterThanOrEqualTo(25);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void theIdleSweepPurgesExactlyTheConversationsIdleSinceTheCutoff(String database) {
        ConversationStore store = open(database);
        Instant cutoff = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        Conversation old = turns(store, 1), justBefore = turns(store, 1), justAfter = turns(store, 1), fresh = turns(store, 2);
        lastActive(old, cutoff.minus(Duration.ofDays(3)));
        lastActive(justBefore, cutoff.minusSeconds(1));
        lastActive(justAfter, cutoff.plusSeconds(1));

        List<ConversationId> purged = storage.erasure().purgeIdleSince(cutoff, Optional.empty(), Set.of(), 100).toCompletableFuture().join();

        assertThat(purged).containsExactlyInAnyOrder(old.id(), justBefore.id());
        assertThat(store.find(justAfter.id(), "acme").toCompletableFuture().join()).isPresent();
        assertThat(store.find(fresh.id(), "acme").toCompletableFuture().join()).isPresent();
    }

    private void lastActive(Conversation c, Instant at) {
        storage.jdbi().useHandle(h -> h.createUpdate("UPDATE conversations SET updated_at = :at WHERE id = :id")
                .bind("at", Timestamp.from(at)).bind("id", c.id().value()).execute());
    }
}
