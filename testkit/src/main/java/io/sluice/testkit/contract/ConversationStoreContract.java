package io.sluice.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.ConversationStats;
import io.sluice.domain.Role;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.ToolCall;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.ConversationWindow;
import io.sluice.ports.out.NewMessage;
import io.sluice.ports.out.Page;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.context.Summary;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ConversationStore} must do. An adapter's test extends this and supplies the store, backed by a
 * real database; the store may hold data from earlier tests, so every test works in conversations of its own.
 */
public abstract class ConversationStoreContract {
    protected abstract ConversationStore store();

    static Conversation newConversation(String owner) {
        return Conversation.start(ConversationId.random(), owner, "user-1", Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    static NewMessage msg(ChatMessage m, int tokens) {
        return new NewMessage(m, tokens, "gpt-4o-mini", Map.of());
    }

    static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void appendCreatesTheConversationAndNumbersMessagesFromOne() {
        Conversation c = newConversation("owner-a");
        List<StoredMessage> stored = join(store().append(c, List.of(msg(ChatMessage.user("Hello"), 8), msg(ChatMessage.assistant("Hi!"), 9))));

        assertThat(stored).extracting(StoredMessage::seq).containsExactly(1L, 2L);
        assertThat(join(store().find(c.id(), "owner-a"))).get()
                .satisfies(found -> {
                    assertThat(found.user()).isEqualTo("user-1");
                    assertThat(found.active()).isTrue();
                });
        assertThat(join(store().messages(c.id()))).extracting(m -> m.message().role(), StoredMessage::tokenCount, StoredMessage::model)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Role.USER, 8, "gpt-4o-mini"),
                        org.assertj.core.groups.Tuple.tuple(Role.ASSISTANT, 9, "gpt-4o-mini"));
    }

    @Test
    void laterAppendsContinueTheSeq() {
        Conversation c = newConversation("owner-a");
        join(store().append(c, List.of(msg(ChatMessage.user("one"), 4), msg(ChatMessage.assistant("two"), 4))));
        List<StoredMessage> second = join(store().append(c, List.of(msg(ChatMessage.user("three"), 4), msg(ChatMessage.assistant("four"), 4))));

        assertThat(second).extracting(StoredMessage::seq).containsExactly(3L, 4L);
        assertThat(join(store().messages(c.id()))).extracting(m -> m.message().content()).containsExactly("one", "two", "three", "four");
    }

    @Test
    void anotherOwnerCannotFindTheConversation() {
        Conversation c = newConversation("owner-a");
        join(store().append(c, List.of(msg(ChatMessage.user("secret"), 5))));

        assertThat(join(store().find(c.id(), "owner-b"))).isEmpty();
        assertThat(join(store().find(ConversationId.random(), "owner-a"))).isEmpty();
    }

    /** Every kind of content part, with and without its optional fields. */
    public static final List<io.sluice.domain.ContentPart> MEDIA = List.of(new io.sluice.domain.ContentPart.Text("hi"),
            new io.sluice.domain.ContentPart.Image("data:image/png;base64,iVBORw0KGgo=", "low"),
            new io.sluice.domain.ContentPart.Image("https://example.com/parcel.jpg", null),
            new io.sluice.domain.ContentPart.Audio("UklGRg==", "wav"),
            new io.sluice.domain.ContentPart.File(null, "data:application/pdf;base64,JVBERi0=", "invoice.pdf"),
            new io.sluice.domain.ContentPart.File("file-abc", null, null));

    @Test
    void toolCallsToolResultsNamesAndMetadataRoundTrip() {
        Conversation c = newConversation("owner-a");
        ChatMessage call = ChatMessage.assistant(null, List.of(new ToolCall("call_1", "lookup_order", "{\"id\":42}")));
        ChatMessage result = ChatMessage.toolResult("call_1", "{\"status\":\"shipped\"}");
        ChatMessage named = new ChatMessage(Role.USER, "hi", "alice", List.of(), null, MEDIA);
        join(store().append(c, List.of(msg(named, 7), msg(call, 12), msg(result, 10),
                new NewMessage(ChatMessage.assistant("It shipped."), 6, "gpt-4o", Map.of("truncated", "true")))));

        List<StoredMessage> read = join(store().messages(c.id()));
        assertThat(read.get(0).message()).as("with its image, audio and files").isEqualTo(named);
        assertThat(join(store().window(c.id(), 10, 1_000)).recent().getFirst().message()).isEqualTo(named);
        assertThat(read.get(1).message()).isEqualTo(call);
        assertThat(read.get(2).message()).isEqualTo(result);
        assertThat(read.get(3).metadata()).containsEntry("truncated", "true");
        assertThat(read.get(3).model()).isEqualTo("gpt-4o");
    }

    @Test
    void unicodeAndVietnameseTextSurviveExactly() {
        Conversation c = newConversation("owner-a");
        String text = "Xin chào, tôi muốn hoàn tiền đơn hàng 🚚 — ĐƠN #42 «ưu tiên»";
        join(store().append(c, List.of(msg(ChatMessage.user(text), 30))));

        assertThat(join(store().messages(c.id())).getFirst().message().content()).isEqualTo(text);
    }

    @Test
    void concurrentAppendsNeverShareASeq() {
        Conversation c = newConversation("owner-a");
        join(store().append(c, List.of(msg(ChatMessage.user("start"), 4))));
        List<CompletableFuture<List<StoredMessage>>> writes = new ArrayList<>();
        IntStream.range(0, 20).forEach(i -> writes.add(store().append(c, List.of(msg(ChatMessage.user("q" + i), 4),
                msg(ChatMessage.assistant("a" + i), 4))).toCompletableFuture()));
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();

        List<StoredMessage> all = join(store().messages(c.id()));
        assertThat(all).extracting(StoredMessage::seq).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 41).mapToObj(Long::valueOf).toList());
        for (int i = 1; i < all.size(); i += 2) {
            // each turn's pair stays adjacent: the question is immediately followed by its own answer
            assertThat(all.get(i + 1).message().content()).isEqualTo("a" + all.get(i).message().content().substring(1));
        }
    }

    @Test
    void aWindowHoldsTheSystemPromptAndTheNewestMessagesWithinTheTokenBudget() {
        Conversation c = newConversation("owner-a");
        join(store().append(c, List.of(msg(ChatMessage.system("Be kind."), 7), msg(ChatMessage.user("u1"), 10), msg(ChatMessage.assistant("a1"), 20))));
        join(store().append(c, List.of(msg(ChatMessage.user("u2"), 30), msg(ChatMessage.assistant("a2"), 40))));

        ConversationWindow window = join(store().window(c.id(), 100, 70));
        assertThat(window.systemPrompt()).extracting(m -> m.message().content()).containsExactly("Be kind.");
        assertThat(window.recent()).extracting(m -> m.message().content()).containsExactly("u2", "a2");
        assertThat(window.complete()).isFalse();

        ConversationWindow wide = join(store().window(c.id(), 100, 100));
        assertThat(wide.recent()).extracting(m -> m.message().content()).containsExactly("u1", "a1", "u2", "a2");
        assertThat(wide.complete()).isTrue();
    }

    @Test
    void aWindowHoldsAtMostTheGivenNumberOfMessages() {
        Conversation c = newConversation("owner-a");
        join(store().append(c, List.of(msg(ChatMessage.system("Be kind."), 7), msg(ChatMessage.system("Be brief."), 7))));
        for (int i = 1; i <= 5; i++) {
            join(store().append(c, List.of(msg(ChatMessage.user("u" + i), 5), msg(ChatMessage.assistant("a" + i), 5))));
        }

        ConversationWindow window = join(store().window(c.id(), 3, 1_000));
        assertThat(window.systemPrompt()).extracting(m -> m.message().content()).containsExactly("Be kind.", "Be brief.");
        assertThat(window.recent()).extracting(StoredMessage::seq).containsExactly(10L, 11L, 12L);
        assertThat(join(store().window(c.id(), 10, 1_000)).complete()).isTrue();
    }

    @Test
    void aSystemMessageLaterInTheConversationIsHistoryNotPrompt() {
        Conversation c = newConversation("owner-a");
        join(store().append(c, List.of(msg(ChatMessage.user("hi"), 5), msg(ChatMessage.system("Now be formal."), 6))));

        ConversationWindow window = join(store().window(c.id(), 10, 1_000));
        assertThat(window.systemPrompt()).isEmpty();
        assertThat(window.recent()).extracting(m -> m.message().role()).containsExactly(Role.USER, Role.SYSTEM);
    }

    @Test
    void theWindowOfAnUnknownConversationIsEmpty() {
        ConversationWindow window = join(store().window(ConversationId.random(), 10, 1_000));
        assertThat(window.systemPrompt()).isEmpty();
        assertThat(window.recent()).isEmpty();
    }

    @Test
    void aCreatedConversationKeepsItsMetadataUserAndStrategy() {
        Conversation c = new Conversation(ConversationId.random(), "owner-a", "user-9", Instant.now().truncatedTo(ChronoUnit.MILLIS),
                Instant.now().truncatedTo(ChronoUnit.MILLIS), Map.of("channel", "web", "ticket", "T-1"), true, new ContextStrategy.SlidingWindow(8));
        join(store().create(c));

        Conversation found = join(store().find(c.id(), "owner-a")).orElseThrow();
        assertThat(found.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("channel", "web", "ticket", "T-1"));
        assertThat(found.user()).isEqualTo("user-9");
        assertThat(found.defaultStrategy()).contains(new ContextStrategy.SlidingWindow(8));
        assertThat(join(store().stats(c.id()))).isEqualTo(new ConversationStats(0, 0, 0));
    }

    @Test
    void aLongTurnIsStoredWholeWithItsSystemPromptAndTheNextTurnContinuesIt() {
        // longer than a store may write in one statement (an imported history): it must still be one append
        Conversation c = newConversation("owner-a");
        List<NewMessage> history = new ArrayList<>();
        history.add(msg(ChatMessage.system("You are helpful."), 5));
        history.add(msg(ChatMessage.system("Answer in English."), 4));
        IntStream.range(0, 1_200).forEach(i -> history.add(msg(i % 2 == 0 ? ChatMessage.user("q" + i) : ChatMessage.assistant("a" + i), 3)));
        assertThat(join(store().append(c, history))).extracting(StoredMessage::seq)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 1_202).mapToObj(Long::valueOf).toList());
        assertThat(join(store().append(c, List.of(msg(ChatMessage.user("next"), 7))))).extracting(StoredMessage::seq).containsExactly(1_203L);

        assertThat(join(store().stats(c.id()))).isEqualTo(new ConversationStats(1_203, 5 + 4 + 3_600 + 7, 0));
        ConversationWindow window = join(store().window(c.id(), 2, 1_000));
        assertThat(window.systemPrompt()).extracting(m -> m.message().content()).containsExactly("You are helpful.", "Answer in English.");
        assertThat(window.recent()).extracting(m -> m.message().content()).containsExactly("a1199", "next");
    }

    @Test
    void aTurnThatCannotBeStoredWholeStoresNothing() {
        Conversation c = newConversation("owner-a");
        join(store().append(c, List.of(msg(ChatMessage.user("kept"), 4))));
        // a message the schema refuses (a name longer than its column), after one it would accept
        ChatMessage refused = new ChatMessage(Role.USER, "hi", "n".repeat(300), List.of(), null);
        CompletableFuture<List<StoredMessage>> append = store().append(c, List.of(msg(ChatMessage.user("fine"), 4), msg(refused, 4)))
                .toCompletableFuture();

        assertThat(append).failsWithin(java.time.Duration.ofSeconds(10));
        assertThat(join(store().messages(c.id()))).extracting(m -> m.message().content()).containsExactly("kept");
        assertThat(join(store().stats(c.id()))).isEqualTo(new ConversationStats(1, 4, 0));
        assertThat(join(store().append(c, List.of(msg(ChatMessage.user("after"), 4))))).extracting(StoredMessage::seq).containsExactly(2L);
    }

    @Test
    void turnsOfSeveralConversationsAreAppendedTogetherEachInItsOrderAndAllOrNone() {
        Conversation a = newConversation("owner-a");
        Conversation b = newConversation("owner-a");
        join(store().append(a, List.of(msg(ChatMessage.user("a1"), 4))));
        List<ConversationStore.Append> turns = List.of(
                new ConversationStore.Append(b, List.of(msg(ChatMessage.user("b1"), 4), msg(ChatMessage.assistant("b2"), 5)), List.of()),
                new ConversationStore.Append(a, List.of(msg(ChatMessage.user("a2"), 4)), List.of()),
                new ConversationStore.Append(a, List.of(msg(ChatMessage.assistant("a3"), 6)), List.of()));
        List<List<StoredMessage>> stored = join(store().appendAll(turns));

        assertThat(stored).hasSize(3);
        assertThat(stored.get(0)).extracting(StoredMessage::seq).containsExactly(1L, 2L);
        assertThat(stored.get(1)).extracting(StoredMessage::seq).as("one conversation's turns in the order given").containsExactly(2L);
        assertThat(stored.get(2)).extracting(StoredMessage::seq).containsExactly(3L);
        assertThat(join(store().messages(a.id()))).extracting(m -> m.message().content()).containsExactly("a1", "a2", "a3");
        assertThat(join(store().stats(a.id()))).isEqualTo(new ConversationStats(3, 14, 0));

        // one turn the schema refuses: none of the others is kept
        Conversation c = newConversation("owner-a");
        ChatMessage refused = new ChatMessage(Role.USER, "hi", "n".repeat(300), List.of(), null);
        CompletableFuture<List<List<StoredMessage>>> failing = store().appendAll(List.of(
                new ConversationStore.Append(c, List.of(msg(ChatMessage.user("c1"), 4)), List.of()),
                new ConversationStore.Append(a, List.of(msg(refused, 4)), List.of()))).toCompletableFuture();
        assertThat(failing).failsWithin(java.time.Duration.ofSeconds(10));
        assertThat(join(store().find(c.id(), "owner-a"))).isEmpty();
        assertThat(join(store().messages(a.id()))).hasSize(3);
    }

    /**
     * Texts that a store's encoding could get wrong (on PostgreSQL, turns that go together travel as array literals):
     * each comes back exactly as it was sent.
     */
    @Test
    void anyTextComesBackExactlyWhenTurnsGoTogether() {
        List<String> texts = List.of("NULL", "a\"b\\c{d},e", "  spaced\ttab\nline  ", "emoji \uD83E\uDD8A and \u00fcn\u00efc\u00f6d\u00e9", "{\"json\": [1, 2]}",
                "'; DROP TABLE messages; --", "\\N", "\"\"");
        Conversation a = new Conversation(ConversationId.random(), "owner-a", "NULL", Instant.now().truncatedTo(ChronoUnit.MILLIS),
                Instant.now().truncatedTo(ChronoUnit.MILLIS), Map.of("k{}", "v \"q\" \\ ,"), true, null);
        Conversation b = newConversation("owner-a");
        List<ConversationStore.Append> turns = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            ChatMessage call = new ChatMessage(Role.ASSISTANT, null, null, List.of(new ToolCall("call_" + i, "look{up}", "{\"q\": \"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")), null);
            turns.add(new ConversationStore.Append(i % 2 == 0 ? a : b, List.of(
                    new NewMessage(new ChatMessage(Role.USER, text, "NULL", List.of(), null), 3, "gpt-4o-mini", Map.of("m", text)),
                    msg(call, 4), msg(new ChatMessage(Role.TOOL, text, null, List.of(), "call_" + i), 5)), List.of()));
        }
        join(store().appendAll(turns));

        List<ChatMessage> stored = new ArrayList<>();
        join(store().messages(a.id())).forEach(m -> stored.add(m.message()));
        join(store().messages(b.id())).forEach(m -> stored.add(m.message()));
        List<ChatMessage> sent = new ArrayList<>();
        for (int parity = 0; parity < 2; parity++) {
            for (int i = parity; i < turns.size(); i += 2) turns.get(i).messages().forEach(m -> sent.add(m.message()));
        }
        assertThat(stored).containsExactlyElementsOf(sent);
        assertThat(join(store().messages(a.id()))).first().satisfies(m -> assertThat(m.metadata()).containsEntry("m", "NULL"));
        assertThat(join(store().find(a.id(), "owner-a"))).get().satisfies(found -> {
            assertThat(found.user()).isEqualTo("NULL");
            assertThat(found.metadata()).isEqualTo(a.metadata());
        });
    }

    @Test
    void statsCountMessagesAndTokens() {
        Conversation c = newConversation("owner-a");
        join(store().append(c, List.of(msg(ChatMessage.user("one"), 11), msg(ChatMessage.assistant("two"), 13))));
        join(store().append(c, List.of(msg(ChatMessage.user("three"), 17))));

        assertThat(join(store().stats(c.id()))).isEqualTo(new ConversationStats(3, 41, 0));
    }

    @Test
    void listingIsNewestFirstPerUserAndPaged() {
        String owner = "owner-" + ConversationId.random().value().substring(5, 15);
        List<ConversationId> created = new ArrayList<>();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < 5; i++) {
            Conversation c = new Conversation(ConversationId.random(), owner, i % 2 == 0 ? "alice" : "bob", t0.plusSeconds(i), t0.plusSeconds(i),
                    Map.of(), true, null);
            join(store().create(c));
            created.add(c.id());
        }
        Page<Conversation> first = join(store().list(owner, null, null, 2));
        assertThat(first.items()).extracting(Conversation::id).containsExactly(created.get(4), created.get(3));
        assertThat(first.hasMore()).isTrue();
        Page<Conversation> second = join(store().list(owner, null, first.items().getLast().id(), 2));
        assertThat(second.items()).extracting(Conversation::id).containsExactly(created.get(2), created.get(1));
        Page<Conversation> last = join(store().list(owner, null, second.items().getLast().id(), 2));
        assertThat(last.items()).extracting(Conversation::id).containsExactly(created.get(0));
        assertThat(last.hasMore()).isFalse();

        assertThat(join(store().list(owner, "alice", null, 10)).items()).extracting(Conversation::id)
                .containsExactly(created.get(4), created.get(2), created.get(0));
        assertThat(join(store().list("someone-else", null, null, 10)).items()).extracting(Conversation::id).doesNotContainAnyElementsOf(created);
    }

    @Test
    void messagesArePagedBothWays() {
        Conversation c = newConversation("owner-a");
        for (int i = 1; i <= 5; i++) join(store().append(c, List.of(msg(ChatMessage.user("m" + i), 3))));

        Page<StoredMessage> first = join(store().page(c.id(), 0, 2, true));
        assertThat(first.items()).extracting(StoredMessage::seq).containsExactly(1L, 2L);
        assertThat(first.hasMore()).isTrue();
        assertThat(join(store().page(c.id(), 2, 10, true)).items()).extracting(StoredMessage::seq).containsExactly(3L, 4L, 5L);
        Page<StoredMessage> newest = join(store().page(c.id(), 0, 2, false));
        assertThat(newest.items()).extracting(StoredMessage::seq).containsExactly(5L, 4L);
        Page<StoredMessage> older = join(store().page(c.id(), 4, 10, false));
        assertThat(older.items()).extracting(StoredMessage::seq).containsExactly(3L, 2L, 1L);
        assertThat(older.hasMore()).isFalse();
    }

    @Test
    void aDeactivatedConversationIsGoneForReadsButOnlyItsOwnerCanDeactivateIt() {
        Conversation c = newConversation("owner-a");
        join(store().append(c, List.of(msg(ChatMessage.user("bye"), 3))));

        assertThat(join(store().deactivate(c.id(), "owner-b"))).isFalse();
        assertThat(join(store().find(c.id(), "owner-a"))).isPresent();
        assertThat(join(store().deactivate(c.id(), "owner-a"))).isTrue();
        assertThat(join(store().find(c.id(), "owner-a"))).isEmpty();
        assertThat(join(store().deactivate(c.id(), "owner-a"))).isFalse();
        assertThat(join(store().list("owner-a", "user-1", null, 100)).items()).extracting(Conversation::id).doesNotContain(c.id());
    }

    @Test
    void aSummaryIsSavedOnlyOnTheOneItWasMadeFromAndOnlyWhenItCoversMore() {
        Conversation c = newConversation("owner-a");
        join(store().append(c, List.of(msg(ChatMessage.system("Be kind."), 5), msg(ChatMessage.user("u1"), 5), msg(ChatMessage.assistant("a1"), 5),
                msg(ChatMessage.user("u2"), 5))));

        Summary first = new Summary("u1 asked, a1 answered", 3, 12);
        assertThat(join(store().saveSummary(c.id(), null, first, 1, 2))).isTrue();
        assertThat(join(store().saveSummary(c.id(), null, new Summary("made from nothing", 4, 4), 1, 3))).as("another replaced its base").isFalse();
        assertThat(join(store().saveSummary(c.id(), first, new Summary("older", 2, 4), 3, 0))).as("covers less").isFalse();
        assertThat(join(store().window(c.id(), 10, 1_000)).summary()).isEqualTo(new Summary("u1 asked, a1 answered", 3, 12));
        assertThat(join(store().stats(c.id())).summarizedThroughSeq()).isEqualTo(3);
        assertThat(join(store().window(newConversation("owner-a").id(), 10, 1_000)).summary()).isNull();
    }

    @Test
    void vectorsAreStoredOncePerMessageAndEmbedder() {
        Conversation c = newConversation("owner-a");
        join(store().append(c, List.of(msg(ChatMessage.system("Be kind."), 5), msg(ChatMessage.user("u2"), 5),
                msg(ChatMessage.assistant(null, List.of(new ToolCall("c1", "track", "{}"))), 5), msg(ChatMessage.toolResult("c1", "ok"), 5),
                msg(ChatMessage.assistant("a5"), 5), msg(ChatMessage.user("u6"), 5))));

        assertThat(join(store().unembedded(c.id(), "lex", 6, 100))).extracting(StoredMessage::seq).containsExactly(2L, 5L);
        float[] sparse = new float[2048];
        sparse[7] = 0.6f;
        sparse[1999] = 0.8f;
        float[] dense = {0.1f, 0.2f, 0.3f};
        join(store().saveVectors(c.id(), "lex", Map.of(2L, sparse, 5L, dense)));
        join(store().saveVectors(c.id(), "lex", Map.of(2L, new float[2048])));   // a second vector for seq 2 is ignored

        Map<Long, float[]> vectors = join(store().vectors(c.id(), "lex", 6));
        assertThat(vectors).containsOnlyKeys(2L, 5L);
        assertThat(vectors.get(2L)).containsExactly(sparse);
        assertThat(vectors.get(5L)).containsExactly(dense);
        assertThat(join(store().vectors(c.id(), "lex", 5))).containsOnlyKeys(2L);
        assertThat(join(store().vectors(c.id(), "other", 6))).isEmpty();
        assertThat(join(store().unembedded(c.id(), "lex", 100, 100))).extracting(StoredMessage::seq).containsExactly(6L);
        assertThat(join(store().messagesAt(c.id(), List.of(5L, 2L)))).extracting(m -> m.message().content()).containsExactly("u2", "a5");
        assertThat(join(store().messagesAt(c.id(), List.of()))).isEmpty();
    }

    @Test
    void answersPing() {
        assertThat(store().ping().toCompletableFuture().join()).isNull();
    }
}
