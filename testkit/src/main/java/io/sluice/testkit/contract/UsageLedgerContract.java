package io.sluice.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.Usage;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.domain.usage.UsageQuery;
import io.sluice.domain.usage.UsageTotal;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.NewMessage;
import io.sluice.ports.out.UsageLedger;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UsageLedger} must do: keep an entry once however often it is written, total exactly, group and
 * filter; and, with its {@link ConversationStore}, record a turn's usage with its messages. Each test uses an owner
 * of its own, so tests do not see each other's entries.
 */
public abstract class UsageLedgerContract {
    protected abstract UsageLedger ledger();

    /** The store that shares the ledger's database. */
    protected abstract ConversationStore store();

    private static final Instant DAY1 = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant DAY2 = Instant.parse("2026-11-21T23:59:59Z");

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private static String owner() {
        return "owner-" + UUID.randomUUID();
    }

    private static UsageEntry entry(String owner, String request, String model, String user, Instant at, String cost, int input, int output) {
        return new UsageEntry(request, 1, owner, "key_" + user, user, null, "support", model, "east", new Usage(input, output, input / 2), new BigDecimal(cost), 120,
                UsageEntry.Outcome.OK, at);
    }

    private UsageQuery query(String owner, UsageQuery.Dimension... groupBy) {
        return new UsageQuery(Optional.of(owner), DAY1.minusSeconds(86_400), DAY2.plusSeconds(86_400), List.of(groupBy));
    }

    @Test
    void anEntryWrittenTwiceIsKeptOnce() {
        String owner = owner();
        UsageEntry e = entry(owner, "req-" + UUID.randomUUID(), "gpt-4o", "alice", DAY1, "0.000123456", 100, 20);
        join(ledger().record(List.of(e)));
        join(ledger().record(List.of(e, e)));

        List<UsageTotal> totals = join(ledger().totals(query(owner)));
        assertThat(totals).singleElement().satisfies(t -> {
            assertThat(t.requests()).isEqualTo(1);
            assertThat(t.inputTokens()).isEqualTo(100);
            assertThat(t.outputTokens()).isEqualTo(20);
            assertThat(t.cachedTokens()).isEqualTo(50);
            assertThat(t.cost()).isEqualByComparingTo("0.000123456");
        });
    }

    @Test
    void aLargeGroupOfEntriesIsKeptWholeAndExactly() {
        // more than a store may write in one statement: what group commit hands it under load
        String owner = owner();
        List<UsageEntry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 2_500; i++) entries.add(entry(owner, "g-" + UUID.randomUUID(), "gpt-4o", "alice", DAY1, "0.000000001", 2, 1));
        join(ledger().record(entries));
        join(ledger().record(entries.subList(1_000, 1_001)));

        assertThat(join(ledger().totals(query(owner)))).singleElement().satisfies(t -> {
            assertThat(t.requests()).isEqualTo(2_500);
            assertThat(t.inputTokens()).isEqualTo(5_000);
            assertThat(t.cost()).isEqualByComparingTo("0.0000025");
        });
    }

    @Test
    void totalsAreExactAndGroupedByDayModelAndUserWithinTheRangeAndOwner() {
        String owner = owner();
        join(ledger().record(List.of(
                entry(owner, "a-" + UUID.randomUUID(), "gpt-4o", "alice", DAY1, "0.000000001", 1, 1),
                entry(owner, "b-" + UUID.randomUUID(), "gpt-4o", "bob", DAY1, "0.100000002", 10, 5),
                entry(owner, "c-" + UUID.randomUUID(), "claude", "alice", DAY2, "0.333333333", 7, 3),
                entry(owner, "d-" + UUID.randomUUID(), "claude", "alice", DAY2.plusSeconds(30L * 86_400), "9", 1, 1),
                entry(owner(), "e-" + UUID.randomUUID(), "gpt-4o", "mallory", DAY1, "5", 1, 1))));

        List<UsageTotal> byDayAndModel = join(ledger().totals(query(owner, UsageQuery.Dimension.DAY, UsageQuery.Dimension.MODEL)));
        assertThat(byDayAndModel).extracting(t -> t.group().get(UsageQuery.Dimension.DAY) + " " + t.group().get(UsageQuery.Dimension.MODEL)
                + " " + t.requests() + " " + t.cost().toPlainString())
                .containsExactly("2026-11-20 gpt-4o 2 0.100000003", "2026-11-21 claude 1 0.333333333");

        List<UsageTotal> byUser = join(ledger().totals(query(owner, UsageQuery.Dimension.USER)));
        assertThat(byUser).extracting(t -> t.group().get(UsageQuery.Dimension.USER) + " " + t.inputTokens())
                .containsExactly("alice 8", "bob 10");

        List<UsageTotal> everyone = join(ledger().totals(new UsageQuery(Optional.empty(), DAY1, DAY1.plusSeconds(60), List.of(UsageQuery.Dimension.OWNER))));
        assertThat(everyone).extracting(t -> t.group().get(UsageQuery.Dimension.OWNER)).contains(owner).hasSizeGreaterThanOrEqualTo(2);

        List<UsageTotal> byKey = join(ledger().totals(query(owner, UsageQuery.Dimension.KEY)));
        assertThat(byKey).extracting(t -> t.group().get(UsageQuery.Dimension.KEY) + " " + t.requests())
                .as("each entry's gateway API key").containsExactly("key_alice 2", "key_bob 1");

        assertThat(join(ledger().totals(new UsageQuery(Optional.of(owner), DAY2.plusSeconds(3_600), DAY2.plusSeconds(7_200), List.of()))))
                .as("nothing in that range").isEmpty();
    }

    @Test
    void aTurnsUsageIsRecordedWithItsMessages() {
        String owner = owner();
        Conversation conversation = Conversation.start(ConversationId.random(), owner, "alice", DAY1);
        UsageEntry e = new UsageEntry("req-" + UUID.randomUUID(), 1, owner, null, "alice", conversation.id().value(), null, "gpt-4o", "east",
                new Usage(30, 12, 0), new BigDecimal("0.000270000"), 95, UsageEntry.Outcome.CUT, DAY1);
        join(store().append(conversation, List.of(new NewMessage(ChatMessage.user("hi"), 8, "gpt-4o", Map.of()),
                new NewMessage(ChatMessage.assistant("hello"), 9, "gpt-4o", Map.of())), List.of(e)));
        join(store().append(conversation, List.of(new NewMessage(ChatMessage.user("again"), 8, "gpt-4o", Map.of())), List.of(e)));

        List<UsageTotal> totals = join(ledger().totals(query(owner, UsageQuery.Dimension.CONVERSATION)));
        assertThat(totals).singleElement().satisfies(t -> {
            assertThat(t.group()).containsEntry(UsageQuery.Dimension.CONVERSATION, conversation.id().value());
            assertThat(t.requests()).isEqualTo(1);
            assertThat(t.cost()).isEqualByComparingTo("0.00027");
        });
        assertThat(join(store().messages(conversation.id()))).hasSize(3);
    }

    /** Turns of several conversations stored together: each bill once, on its own day, a cache hit with what it saved. */
    @Test
    void turnsStoredTogetherAreBilledEachOnceOnItsDay() {
        String owner = owner();
        Conversation a = Conversation.start(ConversationId.random(), owner, "alice", DAY1);
        Conversation b = Conversation.start(ConversationId.random(), owner, "bob", DAY1);
        UsageEntry first = new UsageEntry("req-" + UUID.randomUUID(), 1, owner, null, "alice", a.id().value(), null, "gpt-4o", "east",
                new Usage(30, 12, 0), new BigDecimal("0.000270001"), 95, UsageEntry.Outcome.OK, DAY1);
        UsageEntry late = new UsageEntry("req-" + UUID.randomUUID(), 1, owner, null, "bob", b.id().value(), "support", "gpt-4o", "east",
                new Usage(10, 2, 0), new BigDecimal("0.100000000"), 95, UsageEntry.Outcome.OK, DAY2);
        UsageEntry hit = new UsageEntry("req-" + UUID.randomUUID(), 1, owner, null, "alice", a.id().value(), null, "gpt-4o", "cache",
                new Usage(30, 12, 0), BigDecimal.ZERO, 3, UsageEntry.Outcome.CACHE_HIT, DAY2, null,
                new UsageEntry.CacheHit(new BigDecimal("0.000270001"), 0.987654));
        join(store().appendAll(List.of(
                new ConversationStore.Append(a, List.of(new NewMessage(ChatMessage.user("one"), 8, "gpt-4o", Map.of())), List.of(first)),
                new ConversationStore.Append(b, List.of(new NewMessage(ChatMessage.user("two"), 8, "gpt-4o", Map.of())), List.of(late)),
                // the bill of the first turn comes again with the next: kept once
                new ConversationStore.Append(a, List.of(new NewMessage(ChatMessage.user("three"), 8, "gpt-4o", Map.of())), List.of(hit, first)))));

        List<UsageTotal> totals = join(ledger().totals(query(owner, UsageQuery.Dimension.DAY, UsageQuery.Dimension.CONVERSATION)));
        assertThat(totals).extracting(t -> t.group().get(UsageQuery.Dimension.DAY) + " " + (t.group().get(UsageQuery.Dimension.CONVERSATION).equals(a.id().value()) ? "a" : "b")
                        + " " + t.requests() + " " + t.cost().stripTrailingZeros().toPlainString() + " " + t.cacheHits() + " " + t.saved().stripTrailingZeros().toPlainString())
                .containsExactlyInAnyOrder("2026-11-20 a 1 0.000270001 0 0", "2026-11-21 a 1 0 1 0.000270001", "2026-11-21 b 1 0.1 0 0");
        assertThat(join(store().messages(a.id()))).extracting(m -> m.message().content()).containsExactly("one", "three");
    }
}
