package io.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.Usage;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.domain.usage.UsageQuery;
import io.sluice.domain.usage.UsageTotal;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.LedgerMaintenance;
import io.sluice.ports.out.NewMessage;
import io.sluice.ports.out.UsageLedger;
import io.sluice.testkit.servers.SecondPostgres;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away (a second server of the test's own, stopped as a crash would). A rollup move fails and moves
 * nothing; once the server is back the next move takes every pending bill, each once, and the reports are exact.
 * Turns of several conversations stored together (one statement a round) fail as the storage being unavailable, and
 * leave nothing half written; stored again once it is back, each is kept once.
 */
class PostgresOutageStoreTest {
    private static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void aMoveWhileTheDatabaseIsDownLosesAndDoublesNothing() {
        try (SecondPostgres postgres = new SecondPostgres();
             JdbcStorage storage = JdbcStorage.open(new StorageSettings(StorageSettings.Dialect.POSTGRESQL, postgres.jdbcUrl(), postgres.user(), "", 4))) {
            UsageLedger ledger = storage.usageLedger();
            LedgerMaintenance maintenance = storage.ledgerMaintenance(0);
            String owner = "owner-" + UUID.randomUUID();
            ledger.record(bills(owner, 40)).toCompletableFuture().join();
            assertThat(maintenance.rollUp().toCompletableFuture().join()).isPositive();
            ledger.record(bills(owner, 25)).toCompletableFuture().join(); // pending when the server goes away

            postgres.stop();
            assertThat(maintenance.rollUp().toCompletableFuture()).failsWithin(Duration.ofSeconds(30));

            postgres.start();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(maintenance.rollUp().toCompletableFuture().join()).isPositive());
            assertThat(maintenance.rollUp().toCompletableFuture().join()).as("nothing left to move").isZero();
            List<UsageTotal> totals = ledger.totals(new UsageQuery(Optional.of(owner), AT.minusSeconds(3_600), AT.plusSeconds(3_600), List.of()))
                    .toCompletableFuture().join();
            assertThat(totals).singleElement().satisfies(t -> {
                assertThat(t.requests()).isEqualTo(65);
                assertThat(t.inputTokens()).isEqualTo(65 * 10);
                assertThat(t.cost()).isEqualByComparingTo(new BigDecimal("0.000000007").multiply(BigDecimal.valueOf(65)));
            });
        }
    }

    @Test
    void turnsStoredTogetherWhileTheDatabaseIsDownFailAsUnavailableAndAreKeptOnceWhenItIsBack() {
        try (SecondPostgres postgres = new SecondPostgres();
             JdbcStorage storage = JdbcStorage.open(new StorageSettings(StorageSettings.Dialect.POSTGRESQL, postgres.jdbcUrl(), postgres.user(), "", 4))) {
            ConversationStore store = storage.conversations(new ObjectMapper());
            UsageLedger ledger = storage.usageLedger();
            String owner = "owner-" + UUID.randomUUID();
            Conversation a = Conversation.start(ConversationId.random(), owner, "alice", AT);
            Conversation b = Conversation.start(ConversationId.random(), owner, "bob", AT);
            store.append(a, List.of(new NewMessage(ChatMessage.user("first"), 4, "gpt-4o-mini", Map.of())), List.of()).toCompletableFuture().join();
            List<ConversationStore.Append> turns = List.of(
                    new ConversationStore.Append(a, List.of(new NewMessage(ChatMessage.user("second"), 4, "gpt-4o-mini", Map.of())), bills(owner, 1)),
                    new ConversationStore.Append(b, List.of(new NewMessage(ChatMessage.user("hello"), 4, "gpt-4o-mini", Map.of())), bills(owner, 1)));

            postgres.stop();
            assertThat(store.appendAll(turns).toCompletableFuture()).failsWithin(Duration.ofSeconds(30))
                    .withThrowableThat().withCauseInstanceOf(io.sluice.domain.error.StorageUnavailableException.class);
            assertThat(storage.health().available()).as("the failure was taken for the database being away").isFalse();

            postgres.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> storage.health().available());
            assertThat(store.messages(a.id()).toCompletableFuture().join()).extracting(m -> m.message().content()).as("nothing half written")
                    .containsExactly("first");
            assertThat(store.find(b.id(), owner).toCompletableFuture().join()).isEmpty();
            List<List<StoredMessage>> stored = store.appendAll(turns).toCompletableFuture().join();
            assertThat(stored).extracting(m -> m.getFirst().seq()).containsExactly(2L, 1L);
            assertThat(ledger.totals(new UsageQuery(Optional.of(owner), AT.minusSeconds(3_600), AT.plusSeconds(3_600), List.of()))
                    .toCompletableFuture().join()).singleElement().satisfies(t -> assertThat(t.requests()).isEqualTo(2));
        }
    }

    private static List<UsageEntry> bills(String owner, int count) {
        List<UsageEntry> bills = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bills.add(new UsageEntry("req-" + UUID.randomUUID(), 1, owner, null, "alice", null, null, "gpt-4o-mini", "east",
                    new Usage(10, 2, 0), new BigDecimal("0.000000007"), 5, UsageEntry.Outcome.OK, AT));
        }
        return bills;
    }
}
