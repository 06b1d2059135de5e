package io.sluice.domain.context;

import io.sluice.domain.ContextStrategy;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ConversationId;
import io.sluice.domain.StoredMessage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SemanticRecallTest {
    private static final ConversationId ID = ConversationId.random();

    private static StoredMessage stored(long seq, String text, int tokens) {
        return new StoredMessage(ID, seq, seq % 2 == 1 ? ChatMessage.user(text) : ChatMessage.assistant(text), tokens, "m", Instant.EPOCH, Map.of());
    }

    private static float[] v(String text) {
        return LexicalVectors.embed(text, LexicalVectors.DEFAULT_DIMENSIONS);
    }

    @Test
    void theMessageSharingTheRareWordsRanksFirst() {
        Map<Long, float[]> candidates = new LinkedHashMap<>();
        candidates.put(1L, v("Hello, I have a question about my order"));
        candidates.put(2L, v("Sure, what is your order number?"));
        candidates.put(3L, v("Order ZX-4471: the parcel holds a blue bicycle helmet"));
        for (long i = 4; i < 40; i++) candidates.put(i, v("Any update on my order today? Thanks for checking the order"));

        List<Long> ranked = Relevance.rank(v("What was in the parcel with the blue helmet?"), candidates, true);

        assertThat(ranked.getFirst()).isEqualTo(3L);
    }

    @Test
    void vietnameseMatchesWithOrWithoutDiacritics() {
        Map<Long, float[]> candidates = Map.of(1L, v("Tôi muốn hoàn tiền cho đơn hàng"), 2L, v("Giao hàng đến Hà Nội mất bao lâu?"));

        assertThat(Relevance.rank(v("hoan tien"), candidates, true)).first().isEqualTo(1L);
        assertThat(Relevance.rank(v("ha noi"), candidates, true)).first().isEqualTo(2L);
    }

    @Test
    void unrelatedMessagesAreNotRanked() {
        assertThat(Relevance.rank(v("weather tomorrow"), Map.of(1L, v("refund for order 7")), true)).isEmpty();
        assertThat(Relevance.rank(v(""), Map.of(1L, v("refund for order 7")), true)).isEmpty();
    }

    @Test
    void aSemanticContextHoldsTheRecentTailAndTheRelevantOlderMessagesInOrder() {
        List<CountedMessage> recent = List.of(new CountedMessage(ChatMessage.user("u9"), 10), new CountedMessage(ChatMessage.assistant("a10"), 10));
        List<StoredMessage> relevant = List.of(stored(5, "best", 20), stored(3, "second", 20), stored(7, "too big", 900), stored(1, "third", 20));
        BuiltContext context = ContextBuilder.buildSemantic(new ContextStrategy.Semantic(2), List.of(), recent, relevant,
                List.of(new CountedMessage(ChatMessage.user("question"), 5)), 300, 100);

        assertThat(context.messages()).extracting(ChatMessage::content).containsExactly("third", "second", "best", "u9", "a10", "question");
        assertThat(context.promptTokens()).isLessThanOrEqualTo(200);
    }

    @Test
    void relevantMessagesOnlyFillTheRoomLeft() {
        List<CountedMessage> recent = List.of(new CountedMessage(ChatMessage.user("u9"), 50));
        List<StoredMessage> relevant = List.of(stored(5, "best", 30), stored(3, "second", 30));
        BuiltContext context = ContextBuilder.buildSemantic(new ContextStrategy.Semantic(1), List.of(), recent, relevant,
                List.of(new CountedMessage(ChatMessage.user("q"), 5)), 200, 100);

        // 200 - 100 - 5 - 3 priming = 92: the tail (50) and the best match (30) fit, the second does not
        assertThat(context.messages()).extracting(ChatMessage::content).containsExactly("best", "u9", "q");
    }

    @Test
    void semanticIsParsed() {
        assertThat(ContextStrategy.parse("semantic")).isEqualTo(new ContextStrategy.Semantic(ContextStrategy.DEFAULT_SEMANTIC_RECENT));
        assertThat(ContextStrategy.parse("semantic(4)")).isEqualTo(new ContextStrategy.Semantic(4));
        assertThat(ContextStrategy.parse("semantic(4)").toString()).isEqualTo("semantic(4)");
    }
}
