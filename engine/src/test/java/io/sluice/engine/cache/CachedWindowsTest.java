package io.sluice.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.StoredMessage;
import io.sluice.engine.memory.ContextHistory;
import io.sluice.ports.out.CachedConversation;
import io.sluice.ports.out.ConversationWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CachedWindowsTest {
    private static final ConversationId ID = ConversationId.random();
    private static final Conversation CONVERSATION = Conversation.start(ID, "owner", null, Instant.EPOCH);

    private static List<StoredMessage> messages(long from, long to, int tokens) {
        List<StoredMessage> list = new ArrayList<>();
        for (long s = from; s <= to; s++) list.add(new StoredMessage(ID, s, ChatMessage.user("m" + s), tokens, "m", Instant.EPOCH, Map.of()));
        return list;
    }

    @Test
    void aWindowReadByTokensServesAnyBudgetUpToIt() {
        // the store read the newest messages worth 100 tokens of a longer conversation: 10 messages of 10 tokens
        CachedConversation entry = CachedWindows.fromWindow(CONVERSATION, new ConversationWindow(List.of(), messages(91, 100, 10), false, 100, null),
                Integer.MAX_VALUE, 100);

        assertThat(CachedWindows.select(entry, Integer.MAX_VALUE, 100)).get().extracting(w -> w.recent().size()).isEqualTo(10);
        assertThat(CachedWindows.select(entry, Integer.MAX_VALUE, 55)).get().extracting(w -> w.recent().size()).isEqualTo(5);
        assertThat(CachedWindows.select(entry, Integer.MAX_VALUE, 101)).as("more than the read covered").isEmpty();
        assertThat(CachedWindows.select(entry, 3, 1_000)).get().extracting(w -> w.recent().size()).isEqualTo(3);
    }

    @Test
    void aWindowReadByMessageCountServesThatCount() {
        CachedConversation entry = CachedWindows.fromWindow(CONVERSATION, new ConversationWindow(List.of(), messages(81, 100, 10), false, 100, null),
                20, 100_000);

        assertThat(CachedWindows.select(entry, 20, 100_000)).get().extracting(w -> w.recent().size()).isEqualTo(20);
        assertThat(CachedWindows.select(entry, 21, 100_000)).as("one more than was read").isEmpty();
    }

    @Test
    void anEntryExtendedByATurnCoversTheTurnToo() {
        CachedConversation entry = CachedWindows.fromWindow(CONVERSATION, new ConversationWindow(List.of(), messages(91, 100, 10), false, 100, null),
                Integer.MAX_VALUE, 100);
        CachedConversation next = CachedWindows.extend(entry, messages(101, 102, 10), 1_000);

        assertThat(next.lastSeq()).isEqualTo(102);
        assertThat(next.coveredTokens()).isEqualTo(120);
        assertThat(CachedWindows.select(next, Integer.MAX_VALUE, 120)).isPresent();
    }

    @Test
    void trimmingByTokensShrinksWhatIsCovered() {
        CachedConversation entry = CachedWindows.fromWindow(CONVERSATION, new ConversationWindow(List.of(), messages(1, 10, 10), true, 10, null),
                Integer.MAX_VALUE, 1_000);
        CachedConversation next = CachedWindows.extend(entry, messages(11, 12, 10), 50);

        assertThat(next.tail()).extracting(StoredMessage::seq).containsExactly(8L, 9L, 10L, 11L, 12L);
        assertThat(next.tailComplete()).isFalse();
        assertThat(next.coveredTokens()).isEqualTo(50);
        assertThat(CachedWindows.select(next, Integer.MAX_VALUE, 60)).isEmpty();
    }

    @Test
    void leadingSystemMessagesOfANewConversationBecomeItsPrompt() {
        CachedConversation empty = CachedWindows.fromWindow(CONVERSATION, new ConversationWindow(List.of(), List.of(), true, 0, null), Integer.MAX_VALUE, 0);
        List<StoredMessage> stored = List.of(new StoredMessage(ID, 1, ChatMessage.system("Be kind."), 5, null, Instant.EPOCH, Map.of()),
                new StoredMessage(ID, 2, ChatMessage.user("hi"), 5, "m", Instant.EPOCH, Map.of()));
        CachedConversation next = CachedWindows.extend(empty, stored, 1_000);

        assertThat(next.systemPrompt()).extracting(StoredMessage::seq).containsExactly(1L);
        assertThat(next.tail()).extracting(StoredMessage::seq).containsExactly(2L);
        assertThat(next.tailComplete()).isTrue();
    }

    @Test
    void anEntryKeepsOfEachMessagesMetadataOnlyTheFallbackMarker() {
        StoredMessage answer = new StoredMessage(ID, 1, ChatMessage.assistant("a"), 5, "m", Instant.EPOCH,
                Map.of(StoredMessage.REQUEST_ID, "req-1", StoredMessage.INPUT_TOKENS, "12", StoredMessage.OUTPUT_TOKENS, "5"));
        StoredMessage fallback = new StoredMessage(ID, 2, ChatMessage.assistant("sorry"), 3, "m", Instant.EPOCH,
                Map.of(StoredMessage.FALLBACK, "true", StoredMessage.REQUEST_ID, "req-2"));
        CachedConversation read = CachedWindows.fromWindow(CONVERSATION, new ConversationWindow(List.of(), List.of(answer), true, 1, null),
                Integer.MAX_VALUE, 100);
        CachedConversation extended = CachedWindows.extend(read, List.of(fallback), 1_000);

        assertThat(extended.tail()).extracting(StoredMessage::metadata).containsExactly(Map.of(), Map.of(StoredMessage.FALLBACK, "true"));
        assertThat(extended.tail()).extracting(StoredMessage::seq, StoredMessage::tokenCount, m -> m.message().content())
                .containsExactly(tuple(1L, 5, "a"), tuple(2L, 3, "sorry"));
        assertThat(ContextHistory.counted(CachedWindows.select(extended, 10, 100).orElseThrow().recent()))
                .as("the fallback reply is still never context again").hasSize(1);
    }

    @Test
    void theSystemPromptIsKeptWithoutItsMetadataToo() {
        StoredMessage system = new StoredMessage(ID, 1, ChatMessage.system("be brief"), 4, "m", Instant.EPOCH, Map.of("channel", "web"));
        CachedConversation read = CachedWindows.fromWindow(CONVERSATION, new ConversationWindow(List.of(system), List.of(), true, 1, null),
                Integer.MAX_VALUE, 100);
        CachedConversation extended = CachedWindows.extend(
                CachedWindows.fromWindow(CONVERSATION, new ConversationWindow(List.of(), List.of(), true, 0, null), Integer.MAX_VALUE, 100),
                List.of(system), 1_000);

        assertThat(read.systemPrompt()).extracting(StoredMessage::metadata).containsExactly(Map.of());
        assertThat(extended.systemPrompt()).extracting(StoredMessage::metadata, m -> m.message().content())
                .containsExactly(tuple(Map.of(), "be brief"));
    }
}
