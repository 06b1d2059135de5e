package io.sluice.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ContentPart;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.Role;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.ToolCall;
import io.sluice.ports.out.CachedConversation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/** The local context cache is bounded by the heap its entries take, whatever their tokens say. */
class LocalContextCacheBoundTest {
    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    /** An inline image of about a megabyte: a thousand tokens or so, a megabyte or two of heap. */
    private static final String IMAGE = "data:image/png;base64," + "A".repeat(1 << 20);

    @Test
    void inlineImagesAreWeighedByTheirBytesNotTheirTokens() {
        long max = 64L << 20;
        LocalContextCache cache = new LocalContextCache(Duration.ofHours(1), max, Runnable::run);
        List<ConversationId> ids = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            ConversationId id = ConversationId.random();
            ids.add(id);
            cache.fill(entry(id, List.of(imageMessage(id, 1))));
        }
        // 128 MB of images at a thousand tokens each: a bound in tokens held them all
        assertThat(cache.weightedSize()).isLessThanOrEqualTo(max).isGreaterThan(max / 2);
        long kept = ids.stream().filter(id -> cache.get(id).toCompletableFuture().join().isPresent()).count();
        assertThat(kept).isBetween(16L, 32L); // each entry estimated at about 2 MB (two bytes a character)
    }

    @Test
    void anEntryOverASixteenthOfTheBoundKeepsOnlyItsVersionSoThatNoOlderEntryTakesItsPlace() {
        LocalContextCache cache = new LocalContextCache(Duration.ofHours(1), 16L << 20, Runnable::run);
        ConversationId id = ConversationId.random();
        CachedConversation older = entry(id, List.of(new StoredMessage(id, 1, ChatMessage.user("hello"), 8, null, NOW, Map.of())));
        cache.fill(entry(id, List.of(imageMessage(id, 2))));
        cache.fill(older); // a read of the store made before the image's turn, filled late
        assertThat(cache.get(id).toCompletableFuture().join()).isEmpty();
        assertThat(cache.weightedSize()).as("a marker's weight").isEqualTo(256);

        ConversationId small = ConversationId.random();
        cache.fill(entry(small, List.of(new StoredMessage(small, 1, ChatMessage.user("hello"), 8, null, NOW, Map.of()))));
        assertThat(cache.get(small).toCompletableFuture().join()).isPresent();
    }

    @Test
    void theEstimateErrsHighOfTheHeapAnEntryTakes() {
        ConversationId id = ConversationId.random();
        List<StoredMessage> shortMessages = new ArrayList<>();
        for (int seq = 1; seq <= 12; seq++) {
            ChatMessage m = new ChatMessage(seq % 2 == 1 ? Role.USER : Role.ASSISTANT,
                    "Where is my order " + seq + "? It was due on Tuesday and the tracking page says nothing.", null, List.of(), null);
            shortMessages.add(new StoredMessage(id, seq, m, 25, seq % 2 == 0 ? new String("gpt-4o-mini") : null, NOW.plusSeconds(seq),
                    seq % 4 == 0 ? Map.of(StoredMessage.FALLBACK, "true") : Map.of()));
        }
        // rows read from the store: each message with its own model string, tool calls' ids, non-Latin-1 text
        List<StoredMessage> toolCalls = List.of(
                new StoredMessage(id, 1, ChatMessage.user("Track orders 7, 8 and 9."), 12, null, NOW, Map.of()),
                new StoredMessage(id, 2, ChatMessage.assistant(null, List.of(call(1), call(2), call(3))), 60, new String("gpt-4o-mini"), NOW, Map.of()),
                new StoredMessage(id, 3, ChatMessage.toolResult("call_0000000000000000000000001", "{}"), 6, null, NOW, Map.of()));
        List<StoredMessage> vietnamese = List.of(new StoredMessage(id, 1, ChatMessage.user("Đơn hàng của tôi ở đâu? Tôi đã đợi ba ngày."), 20,
                null, NOW, Map.of()), new StoredMessage(id, 2, ChatMessage.assistant("Xin lỗi, đơn hàng đang được giao."), 14,
                new String("gpt-4o-mini"), NOW, Map.of()));
        ChatMessage urls = new ChatMessage(Role.USER, "Compare these.", null, List.of(), null, List.of(new ContentPart.Text("Compare these."),
                new ContentPart.Image("https://example.com/a.png", null), new ContentPart.Image("https://example.com/b.png", null),
                new ContentPart.Image("https://example.com/c.png", null)));
        for (CachedConversation entry : List.of(entry(id, shortMessages), entry(id, List.of(imageMessage(id, 1))), entry(id, toolCalls),
                entry(id, vietnamese), entry(id, List.of(new StoredMessage(id, 1, urls, 300, null, NOW, Map.of()))))) {
            long real = GraphLayout.parseInstance(entry).totalSize();
            // high, so the bound holds; not so high that the cache keeps a small part of what it could
            assertThat(entry.estimatedBytes()).as("estimate of an entry of %d bytes", real).isGreaterThanOrEqualTo(real).isLessThan(3 * real);
        }
    }

    private static ToolCall call(int n) {
        return new ToolCall("call_000000000000000000000000" + n, new String("track_order"), "{\"id\":" + (6 + n) + "}");
    }

    private static StoredMessage imageMessage(ConversationId id, long seq) {
        ChatMessage m = new ChatMessage(Role.USER, "What is on this label?", null, List.of(), null,
                List.of(new ContentPart.Text("What is on this label?"), new ContentPart.Image(IMAGE, "high")));
        return new StoredMessage(id, seq, m, 1_130, null, NOW, Map.of());
    }

    private static CachedConversation entry(ConversationId id, List<StoredMessage> tail) {
        Conversation c = new Conversation(id, "owner-a", "alice", NOW, NOW, Map.of("channel", "web"), true, new ContextStrategy.SlidingWindow(20));
        return new CachedConversation(c, List.of(), tail, true, tail.getLast().seq(), null, 100_000);
    }
}
