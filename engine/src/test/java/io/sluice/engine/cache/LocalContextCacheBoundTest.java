package io.sluice.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ContentPart;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.Role;
import io.sluice.domain.StoredMessage;
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
    static {
        // JOL reads records' field offsets this way on recent JDKs (Unsafe refuses them)
        System.setProperty("jol.magicFieldOffset", "true");
    }

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    /** An inline image of about a megabyte: a thousand tokens or so, a megabyte or two of heap. */
    private static final String IMAGE = "data:image/png;base64," + "A".repeat(1 << 20);

    @Test
    void inlineImagesAreWeighedByTheirBytesNotTheirTokens() {
        long max = 16L << 20;
        LocalContextCache cache = new LocalContextCache(Duration.ofHours(1), max, Runnable::run);
        List<ConversationId> ids = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ConversationId id = ConversationId.random();
            ids.add(id);
            cache.fill(entry(id, List.of(imageMessage(id, 1))));
        }
        // 64 MB of images at a thousand tokens each: a bound in tokens held them all
        assertThat(cache.weightedSize()).isLessThanOrEqualTo(max).isGreaterThan(max / 2);
        long kept = ids.stream().filter(id -> cache.get(id).toCompletableFuture().join().isPresent()).count();
        assertThat(kept).isBetween(4L, 8L); // each entry estimated at about 2 MB (two bytes a character)
    }

    @Test
    void anEntryLargerThanTheWholeBoundIsNotKept() {
        LocalContextCache cache = new LocalContextCache(Duration.ofHours(1), 1L << 20, Runnable::run);
        ConversationId id = ConversationId.random();
        cache.fill(entry(id, List.of(imageMessage(id, 1))));
        assertThat(cache.get(id).toCompletableFuture().join()).isEmpty();
        assertThat(cache.weightedSize()).isZero();
    }

    @Test
    void theEstimateErrsHighOfTheHeapAnEntryTakes() {
        ConversationId id = ConversationId.random();
        List<StoredMessage> shortMessages = new ArrayList<>();
        for (int seq = 1; seq <= 12; seq++) {
            ChatMessage m = new ChatMessage(seq % 2 == 1 ? Role.USER : Role.ASSISTANT,
                    "Where is my order " + seq + "? It was due on Tuesday and the tracking page says nothing.", null, List.of(), null);
            shortMessages.add(new StoredMessage(id, seq, m, 25, seq % 2 == 0 ? "gpt-4o-mini" : null, NOW.plusSeconds(seq),
                    seq % 4 == 0 ? Map.of(StoredMessage.FALLBACK, "true") : Map.of()));
        }
        for (CachedConversation entry : List.of(entry(id, shortMessages), entry(id, List.of(imageMessage(id, 1))))) {
            long real = GraphLayout.parseInstance(entry).totalSize();
            // high, so the bound holds; not so high that the cache keeps a small part of what it could
            assertThat(entry.estimatedBytes()).as("estimate of an entry of %d bytes", real).isGreaterThanOrEqualTo(real).isLessThan(3 * real);
        }
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
