package io.sluice.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.ToolCall;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.context.Summary;
import io.sluice.ports.out.CachedConversation;
import io.sluice.ports.out.ContextCache;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** What every {@link ContextCache} must do. Adapter tests supply a real cache; each test uses conversations of its own. */
public abstract class ContextCacheContract {
    /** A cache whose entries live {@code ttl}. */
    protected abstract ContextCache create(Duration ttl);

    private final ContextCache cache = create(Duration.ofMinutes(5));

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    public static CachedConversation entry(ConversationId id, long lastSeq) {
        Instant now = Instant.parse("2026-11-23T10:15:30.123456789Z");
        Conversation c = new Conversation(id, "owner-a", "alice", now, now, Map.of("channel", "web"), true, new ContextStrategy.SlidingWindow(5));
        StoredMessage system = new StoredMessage(id, 1, new ChatMessage(io.sluice.domain.Role.SYSTEM, "hi", null, List.of(), null,
                ConversationStoreContract.MEDIA), 9, null, now, Map.of());
        StoredMessage call = new StoredMessage(id, lastSeq - 1, ChatMessage.assistant(null, List.of(new ToolCall("c1", "track", "{\"id\":7}"))),
                12, "gpt-4o", now, Map.of());
        StoredMessage result = new StoredMessage(id, lastSeq, ChatMessage.toolResult("c1", "shipped"), 6, "gpt-4o", now, Map.of("truncated", "true"));
        return new CachedConversation(c, List.of(system), List.of(call, result), false, lastSeq,
                new Summary("Parcel 7 was delayed — «đang giao».", lastSeq - 2, 15), 4_000);
    }

    @Test
    void aMissIsEmpty() {
        assertThat(join(cache.get(ConversationId.random()))).isEmpty();
    }

    @Test
    void aFilledEntryComesBackExactly() {
        CachedConversation entry = entry(ConversationId.random(), 7);
        join(cache.fill(entry));

        assertThat(join(cache.get(entry.conversation().id()))).contains(entry);
    }

    @Test
    void anOlderFillNeverReplacesANewerEntry() {
        ConversationId id = ConversationId.random();
        join(cache.fill(entry(id, 9)));
        join(cache.fill(entry(id, 5)));

        assertThat(join(cache.get(id))).map(CachedConversation::lastSeq).contains(9L);
    }

    @Test
    void advanceMovesTheVersionItWasGiven() {
        ConversationId id = ConversationId.random();
        join(cache.fill(entry(id, 5)));
        join(cache.advance(5, entry(id, 7)));

        assertThat(join(cache.get(id))).map(CachedConversation::lastSeq).contains(7L);
    }

    @Test
    void advanceFromAnotherVersionLeavesAMarkerThatKeepsStaleFillsOut() {
        ConversationId id = ConversationId.random();
        join(cache.fill(entry(id, 5)));
        join(cache.advance(4, entry(id, 9)));   // a writer that read version 4: it cannot prove 5..9 are contiguous

        assertThat(join(cache.get(id))).as("the next read misses").isEmpty();
        join(cache.fill(entry(id, 8)));          // a slow reader that read the database before seq 9 was written
        assertThat(join(cache.get(id))).as("stale data stays out").isEmpty();
        join(cache.fill(entry(id, 9)));
        assertThat(join(cache.get(id))).map(CachedConversation::lastSeq).contains(9L);
    }

    @Test
    void advanceWithoutAnEntryLeavesAMarkerToo() {
        ConversationId id = ConversationId.random();
        join(cache.advance(3, entry(id, 5)));
        join(cache.fill(entry(id, 4)));

        assertThat(join(cache.get(id))).isEmpty();
    }

    @Test
    void invalidateForgets() {
        ConversationId id = ConversationId.random();
        join(cache.fill(entry(id, 5)));
        join(cache.invalidate(id));

        assertThat(join(cache.get(id))).isEmpty();
        join(cache.fill(entry(id, 3)));
        assertThat(join(cache.get(id))).as("after an invalidation any fill is welcome").map(CachedConversation::lastSeq).contains(3L);
    }

    @Test
    void entriesExpireAfterTheirTtl() {
        ContextCache shortLived = create(Duration.ofMillis(300));
        ConversationId id = ConversationId.random();
        join(shortLived.fill(entry(id, 5)));
        assertThat(join(shortLived.get(id))).isPresent();

        await().atMost(Duration.ofSeconds(5)).until(() -> join(shortLived.get(id)).equals(Optional.empty()));
    }

    @Test
    void conversationsDoNotShareEntries() {
        ConversationId a = ConversationId.random();
        ConversationId b = ConversationId.random();
        join(cache.fill(entry(a, 5)));

        assertThat(join(cache.get(b))).isEmpty();
    }
}
