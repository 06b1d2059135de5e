package io.sluice.testkit.contract;

import static io.sluice.testkit.contract.ConversationStoreContract.join;
import static io.sluice.testkit.contract.ConversationStoreContract.msg;
import static io.sluice.testkit.contract.ConversationStoreContract.newConversation;
import static org.assertj.core.api.Assertions.assertThat;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.ConversationStats;
import io.sluice.domain.StoredMessage;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.ConversationWindow;
import io.sluice.domain.context.Summary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ConversationStore} must do when messages leave the middle of a conversation: windows, totals,
 * counts, summaries and vectors stay exact, and seqs are never reused. An adapter's test extends this as it does
 * {@link ConversationStoreContract}.
 */
public abstract class ConversationDeletionContract {
    protected abstract ConversationStore store();

    @Test
    void deletedMessagesLeaveTheWindowTheTotalsAndTheCountAndTheirSeqsAreNotReused() {
        Conversation c = newConversation("owner-a");
        join(store().append(c, List.of(msg(ChatMessage.system("Be kind."), 7), msg(ChatMessage.user("u1"), 10), msg(ChatMessage.assistant("a1"), 20))));
        join(store().append(c, List.of(msg(ChatMessage.user("u2"), 30), msg(ChatMessage.assistant("a2"), 40))));

        assertThat(join(store().deleteMessages(c.id(), List.of(3L, 99L))).seqs()).containsExactly(3L);
        assertThat(join(store().stats(c.id()))).isEqualTo(new ConversationStats(4, 87, 0));
        // the running totals shrank with it: a budget of exactly what remains holds it all, one token less does not
        ConversationWindow exact = join(store().window(c.id(), 100, 80));
        assertThat(exact.recent()).extracting(m -> m.message().content()).containsExactly("u1", "u2", "a2");
        assertThat(exact.complete()).isTrue();
        assertThat(join(store().window(c.id(), 100, 79)).recent()).extracting(m -> m.message().content()).containsExactly("u2", "a2");

        assertThat(join(store().append(c, List.of(msg(ChatMessage.user("u3"), 5))))).as("a delete moves the last seq on")
                .extracting(StoredMessage::seq).containsExactly(7L);
        assertThat(join(store().page(c.id(), 0, 10, true)).items()).extracting(StoredMessage::seq).containsExactly(1L, 2L, 4L, 5L, 7L);
        assertThat(join(store().deleteMessages(c.id(), List.of(3L))).seqs()).as("already gone").isEmpty();
        assertThat(join(store().deleteMessages(ConversationId.random(), List.of(1L))).seqs()).isEmpty();
    }

    @Test
    void deletingTheFirstMessagesAfterThePromptKeepsTheWindowComplete() {
        Conversation c = newConversation("owner-a");
        join(store().append(c, List.of(msg(ChatMessage.system("Be kind."), 7), msg(ChatMessage.user("u1"), 10), msg(ChatMessage.assistant("a1"), 20),
                msg(ChatMessage.user("u2"), 30))));

        join(store().deleteMessages(c.id(), List.of(2L, 3L)));
        ConversationWindow window = join(store().window(c.id(), 100, 1_000));
        assertThat(window.systemPrompt()).extracting(m -> m.message().content()).containsExactly("Be kind.");
        assertThat(window.recent()).extracting(m -> m.message().content()).containsExactly("u2");
        assertThat(window.complete()).isTrue();

        join(store().deleteMessages(c.id(), List.of(4L)));
        ConversationWindow onlyPrompt = join(store().window(c.id(), 100, 1_000));
        assertThat(onlyPrompt.recent()).isEmpty();
        assertThat(onlyPrompt.complete()).isTrue();
        // with only the prompt left, a system message appended next joins the prompt, as in a new conversation
        join(store().append(c, List.of(msg(ChatMessage.system("Be brief."), 5), msg(ChatMessage.user("u3"), 5))));
        assertThat(join(store().window(c.id(), 100, 1_000)).systemPrompt()).extracting(m -> m.message().content()).containsExactly("Be kind.", "Be brief.");
    }

    @Test
    void deletingASummarizedMessageDropsTheSummaryAndItsVectorsGoWithIt() {
        Conversation c = newConversation("owner-a");
        join(store().append(c, List.of(msg(ChatMessage.user("u1"), 5), msg(ChatMessage.assistant("a1"), 5), msg(ChatMessage.user("u2"), 5),
                msg(ChatMessage.assistant("a2"), 5), msg(ChatMessage.user("u3"), 5))));
        join(store().saveSummary(c.id(), null, new Summary("u1 asked, a1 answered", 2, 6), 0, 2));
        join(store().saveVectors(c.id(), "lex", Map.of(1L, new float[] {1f}, 4L, new float[] {2f})));

        join(store().deleteMessages(c.id(), List.of(4L)));
        assertThat(join(store().window(c.id(), 10, 1_000)).summary()).as("it never covered a2").isNotNull();
        assertThat(join(store().vectors(c.id(), "lex", 100))).containsOnlyKeys(1L);

        join(store().deleteMessages(c.id(), List.of(1L)));
        assertThat(join(store().window(c.id(), 10, 1_000)).summary()).as("it retold u1").isNull();
        assertThat(join(store().stats(c.id())).summarizedThroughSeq()).isZero();
        assertThat(join(store().saveSummary(c.id(), null, new Summary("a1 answered", 2, 4), 0, 1))).as("rebuilt from what remains").isTrue();
        assertThat(join(store().vectors(c.id(), "lex", 100))).isEmpty();
        join(store().saveVectors(c.id(), "lex", Map.of(4L, new float[] {3f}, 5L, new float[] {4f})));
        assertThat(join(store().vectors(c.id(), "lex", 100))).as("a deleted message gets no vector").containsOnlyKeys(5L);
    }

    @Test
    void aSummaryMadeWhileOneOfItsMessagesWasDeletedIsNotSaved() {
        Conversation c = newConversation("owner-a");
        join(store().append(c, List.of(msg(ChatMessage.user("My card is 4111 1111 1111 1111"), 5), msg(ChatMessage.assistant("a1"), 5),
                msg(ChatMessage.user("u2"), 5), msg(ChatMessage.assistant("a2"), 5))));
        Summary base = new Summary("u1 asked", 1, 3);
        assertThat(join(store().saveSummary(c.id(), null, base, 0, 1))).isTrue();
        // a refresh folds a1..a2 onto it; meanwhile a2 is deleted, which leaves the base summary standing
        join(store().deleteMessages(c.id(), List.of(4L)));
        assertThat(join(store().saveSummary(c.id(), base, new Summary("u1 asked, a1, u2, a2", 4, 9), 1, 3))).isFalse();
        // and one made on a summary a delete dropped is not saved either
        join(store().deleteMessages(c.id(), List.of(1L)));
        assertThat(join(store().window(c.id(), 10, 1_000)).summary()).isNull();
        assertThat(join(store().saveSummary(c.id(), base, new Summary("u1 asked, a1", 2, 5), 1, 1))).isFalse();
        assertThat(join(store().window(c.id(), 10, 1_000)).summary()).isNull();
    }

    @Test
    void aSummaryStaysWhenTheMessagesDeletedAreNewerAndCoversTheOnesRightAfterIt() {
        Conversation c = newConversation("owner-a");
        join(store().append(c, List.of(msg(ChatMessage.system("Be kind."), 5), msg(ChatMessage.user("u1"), 5), msg(ChatMessage.assistant("a1"), 5),
                msg(ChatMessage.user("u2"), 5), msg(ChatMessage.assistant("a2"), 5), msg(ChatMessage.user("u3"), 5))));
        join(store().saveSummary(c.id(), null, new Summary("u1 asked, a1 answered", 3, 6), 1, 2));

        join(store().deleteMessages(c.id(), List.of(1L, 4L))); // the prompt's message and the one right after the summary
        ConversationWindow window = join(store().window(c.id(), 100, 1_000));
        assertThat(window.summary()).as("it retold neither").isNotNull();
        assertThat(window.summary().throughSeq()).as("the history after it starts where it ends").isEqualTo(4);
        assertThat(window.recent().getFirst().seq()).isEqualTo(2);
    }

    @Test
    void aWindowBoundedByCountHoldsTheNewestMessagesWhateverGapsDeletionsLeft() {
        Conversation c = newConversation("owner-a");
        for (int i = 1; i <= 6; i++) join(store().append(c, List.of(msg(ChatMessage.user("u" + i), 5))));
        join(store().deleteMessages(c.id(), List.of(5L, 6L)));

        ConversationWindow window = join(store().window(c.id(), 3, 1_000));
        assertThat(window.recent()).extracting(m -> m.message().content()).containsExactly("u2", "u3", "u4");
        assertThat(window.complete()).isFalse();
        assertThat(window.lastSeq()).as("moved on by the delete").isEqualTo(7);
        assertThat(join(store().window(c.id(), 4, 1_000)).complete()).isTrue();
    }
}
