package io.sluice.domain.context;

import io.sluice.domain.ContextStrategy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Role;
import io.sluice.domain.ToolCall;
import io.sluice.domain.error.ContextLengthExceededException;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.error.SummaryNeededException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContextBuilderTest {
    private static final int PRIMING = ContextBuilder.REPLY_PRIMING_TOKENS;
    private static final List<ContextStrategy> ALL = List.of(ContextStrategy.FULL, ContextStrategy.TOKEN_BUDGET, new ContextStrategy.SlidingWindow(4),
            ContextStrategy.ROLLING_SUMMARY, new ContextStrategy.Semantic(3));

    private static CountedMessage user(String text, int tokens) {
        return new CountedMessage(ChatMessage.user(text), tokens);
    }

    private static CountedMessage assistant(String text, int tokens) {
        return new CountedMessage(ChatMessage.assistant(text), tokens);
    }

    private static CountedMessage toolCall(String id, int tokens) {
        return new CountedMessage(ChatMessage.assistant(null, List.of(new ToolCall(id, "lookup_order", "{}"))), tokens);
    }

    private static CountedMessage toolResult(String id, int tokens) {
        return new CountedMessage(ChatMessage.toolResult(id, "shipped"), tokens);
    }

    private static final CountedMessage SYSTEM = new CountedMessage(ChatMessage.system("You are a support agent."), 10);
    private static final CountedMessage QUESTION = user("What now?", 8);

    private static List<String> contents(BuiltContext context) {
        return context.messages().stream().map(m -> m.content() == null ? "<call>" : m.content()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "token_budget", "sliding_window(3)", "rolling_summary", "semantic(2)"})
    void anEmptyHistorySendsOnlyTheNewMessages(String strategy) {
        BuiltContext context = ContextBuilder.build(ContextStrategy.parse(strategy), List.of(), List.of(), true, List.of(QUESTION), 1000, 100);

        assertThat(contents(context)).containsExactly("What now?");
        assertThat(context.promptTokens()).isEqualTo(8 + PRIMING);
        assertThat(context.historyMessagesSent()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "token_budget", "sliding_window(3)", "rolling_summary", "semantic(2)"})
    void aSystemPromptOnlyConversationKeepsTheSystemPrompt(String strategy) {
        BuiltContext context = ContextBuilder.build(ContextStrategy.parse(strategy), List.of(SYSTEM), List.of(), true, List.of(QUESTION), 1000, 100);

        assertThat(contents(context)).containsExactly("You are a support agent.", "What now?");
        assertThat(context.promptTokens()).isEqualTo(10 + 8 + PRIMING);
    }

    @Test
    void tokenBudgetTakesTheNewestMessagesThatFit() {
        List<CountedMessage> history = List.of(user("u1", 30), assistant("a1", 30), user("u2", 30), assistant("a2", 30));
        // window 200 - reply 60 - (system 10 + question 8 + priming 3) = 119: three messages of 30 fit, four do not
        BuiltContext context = ContextBuilder.build(ContextStrategy.TOKEN_BUDGET, List.of(SYSTEM), history, true, List.of(QUESTION), 200, 60);

        assertThat(contents(context)).containsExactly("You are a support agent.", "a1", "u2", "a2", "What now?");
        assertThat(context.promptTokens()).isEqualTo(10 + 90 + 8 + PRIMING).isLessThanOrEqualTo(200 - 60);
        assertThat(context.historyMessagesSent()).isEqualTo(3);
        assertThat(context.historyMessagesAvailable()).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"token_budget", "sliding_window(10)", "semantic(10)"})
    void aSingleHugeMessageIsNeverCutAndEndsTheTail(String strategy) {
        List<CountedMessage> history = List.of(user("old", 5), assistant("huge", 5_000), user("u2", 5), assistant("a2", 5));
        BuiltContext context = ContextBuilder.build(ContextStrategy.parse(strategy), List.of(SYSTEM), history, true, List.of(QUESTION), 1000, 100);

        // the huge message does not fit, and nothing older is taken past it: no gaps in the conversation
        assertThat(contents(context)).containsExactly("You are a support agent.", "u2", "a2", "What now?");
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "rolling_summary"})
    void aSingleHugeMessageMakesTheAllOrNothingStrategiesFail(String strategy) {
        List<CountedMessage> history = List.of(user("old", 5), assistant("huge", 5_000), user("u2", 5));
        assertThatThrownBy(() -> ContextBuilder.build(ContextStrategy.parse(strategy), List.of(SYSTEM), history, true, List.of(QUESTION), 1000, 100))
                .isInstanceOf(ContextLengthExceededException.class);
    }

    @Test
    void aHugeNewMessageFailsWithContextLengthExceeded() {
        for (ContextStrategy strategy : ALL) {
            assertThatThrownBy(() -> ContextBuilder.build(strategy, List.of(SYSTEM), List.of(), true, List.of(user("huge", 5_000)), 1000, 100))
                    .isInstanceOf(ContextLengthExceededException.class).hasMessageContaining("1000 tokens")
                    .extracting(e -> ((ContextLengthExceededException) e).code()).isEqualTo("context_length_exceeded");
        }
    }

    @Test
    void fullSendsEverythingOrFails() {
        List<CountedMessage> history = List.of(user("u1", 30), assistant("a1", 30));
        assertThat(contents(ContextBuilder.build(ContextStrategy.FULL, List.of(SYSTEM), history, true, List.of(QUESTION), 1000, 100)))
                .containsExactly("You are a support agent.", "u1", "a1", "What now?");

        assertThatThrownBy(() -> ContextBuilder.build(ContextStrategy.FULL, List.of(SYSTEM), history, true, List.of(QUESTION), 100, 30))
                .isInstanceOf(ContextLengthExceededException.class).hasMessageContaining("token_budget");
        assertThatThrownBy(() -> ContextBuilder.build(ContextStrategy.FULL, List.of(SYSTEM), history, false, List.of(QUESTION), 1000, 100))
                .as("an incomplete history cannot be sent in full").isInstanceOf(ContextLengthExceededException.class);
    }

    @Test
    void slidingWindowTakesTheLastNMessages() {
        List<CountedMessage> history = List.of(user("u1", 5), assistant("a1", 5), user("u2", 5), assistant("a2", 5), user("u3", 5), assistant("a3", 5));
        BuiltContext context = ContextBuilder.build(new ContextStrategy.SlidingWindow(3), List.of(SYSTEM), history, true, List.of(QUESTION), 1000, 100);

        assertThat(contents(context)).containsExactly("You are a support agent.", "a2", "u3", "a3", "What now?");
    }

    @Test
    void slidingWindowStillFitsTheBudget() {
        List<CountedMessage> history = List.of(user("u1", 50), assistant("a1", 50), user("u2", 50));
        BuiltContext context = ContextBuilder.build(new ContextStrategy.SlidingWindow(3), List.of(SYSTEM), history, true, List.of(QUESTION), 200, 60);

        assertThat(contents(context)).containsExactly("You are a support agent.", "a1", "u2", "What now?");
        assertThat(context.promptTokens()).isLessThanOrEqualTo(140);
    }

    @Test
    void aToolCallAtTheEdgeOfTheWindowGoesWithItsResultsOrNotAtAll() {
        List<CountedMessage> history = List.of(user("u1", 5), toolCall("c1", 20), toolResult("c1", 20), assistant("a1", 5), user("u2", 5), assistant("a2", 5));
        // room for 30 tokens of history: a1, u2, a2 (15) fit; the call-and-result unit (40) does not, so neither half goes
        BuiltContext context = ContextBuilder.build(ContextStrategy.TOKEN_BUDGET, List.of(), history, true, List.of(QUESTION), 41 + 100, 100);

        assertThat(contents(context)).containsExactly("a1", "u2", "a2", "What now?");
        // a window of 3 messages cannot hold the pair and a1 together: the pair is not split to fill it
        BuiltContext window = ContextBuilder.build(new ContextStrategy.SlidingWindow(4), List.of(), history, true, List.of(QUESTION), 1000, 100);
        assertThat(contents(window)).containsExactly("a1", "u2", "a2", "What now?");
        BuiltContext wider = ContextBuilder.build(new ContextStrategy.SlidingWindow(5), List.of(), history, true, List.of(QUESTION), 1000, 100);
        assertThat(contents(wider)).containsExactly("<call>", "shipped", "a1", "u2", "a2", "What now?");
    }

    @Test
    void aToolResultWhoseCallIsOutsideTheTailIsDropped() {
        List<CountedMessage> tail = List.of(toolResult("c0", 5), assistant("a1", 5), user("u2", 5));
        BuiltContext context = ContextBuilder.build(ContextStrategy.TOKEN_BUDGET, List.of(), tail, false, List.of(QUESTION), 1000, 100);

        assertThat(contents(context)).containsExactly("a1", "u2", "What now?");
    }

    @Test
    void newToolResultsAlwaysTravelWithTheirCall() {
        List<CountedMessage> history = List.of(user("u1", 50), toolCall("c9", 20));
        CountedMessage result = toolResult("c9", 10);
        // no room for any history at all, yet the call the new result answers is sent
        BuiltContext context = ContextBuilder.build(ContextStrategy.TOKEN_BUDGET, List.of(), history, true, List.of(result), 20 + 10 + PRIMING + 1, 1);

        assertThat(contents(context)).containsExactly("<call>", "shipped");
        assertThat(context.promptTokens()).isEqualTo(20 + 10 + PRIMING);
        // and it is the newest message of a sliding window
        BuiltContext window = ContextBuilder.build(new ContextStrategy.SlidingWindow(1), List.of(), history, true, List.of(result), 1000, 100);
        assertThat(contents(window)).containsExactly("<call>", "shipped");
    }

    @ParameterizedTest
    @ValueSource(strings = {"full", "token_budget", "sliding_window(3)", "rolling_summary", "semantic(2)"})
    void unicodeAndVietnameseTextPassThroughUntouched(String strategy) {
        String vietnamese = "Đơn hàng của tôi đâu rồi? 🚚";
        List<CountedMessage> history = List.of(user(vietnamese, 14), assistant("Xin lỗi vì sự chậm trễ — «đang giao»", 16));
        BuiltContext context = ContextBuilder.build(ContextStrategy.parse(strategy), List.of(SYSTEM), history, true, List.of(user("Cảm ơn!", 6)), 1000, 100);

        assertThat(contents(context)).containsExactly("You are a support agent.", vietnamese, "Xin lỗi vì sự chậm trễ — «đang giao»", "Cảm ơn!");
    }

    /** Random histories and budgets: every result fits, is a contiguous tail of whole units, and keeps the system prompt. */
    @Test
    void invariantsHoldForRandomHistories() {
        Random random = new Random(7);
        for (int run = 0; run < 2_000; run++) {
            List<CountedMessage> history = randomHistory(random);
            ContextStrategy strategy = ALL.get(random.nextInt(ALL.size()));
            int window = 50 + random.nextInt(2_000);
            int reserve = random.nextInt(200);
            BuiltContext context;
            try {
                context = ContextBuilder.build(strategy, List.of(SYSTEM), history, true, List.of(QUESTION), window, reserve);
            } catch (ContextLengthExceededException e) {
                continue;
            }
            assertThat(context.promptTokens()).isLessThanOrEqualTo(window - reserve);
            assertThat(context.messages().getFirst()).isEqualTo(SYSTEM.message());
            assertThat(context.messages().getLast()).isEqualTo(QUESTION.message());
            List<ChatMessage> sentHistory = context.messages().subList(1, context.messages().size() - 1);
            List<ChatMessage> all = history.stream().map(CountedMessage::message).toList();
            assertThat(all.subList(all.size() - sentHistory.size(), all.size())).as("a contiguous tail").isEqualTo(sentHistory);
            Set<String> calls = new HashSet<>();
            for (ChatMessage m : sentHistory) {
                m.toolCalls().forEach(c -> calls.add(c.id()));
                if (m.role() == Role.TOOL) assertThat(calls).as("a result follows its call").contains(m.toolCallId());
            }
        }
    }

    private static List<CountedMessage> randomHistory(Random random) {
        List<CountedMessage> history = new ArrayList<>();
        int n = random.nextInt(30);
        for (int i = 0; i < n; i++) {
            if (random.nextInt(6) == 0) {
                String id = "c" + i;
                history.add(toolCall(id, 1 + random.nextInt(80)));
                history.add(toolResult(id, 1 + random.nextInt(80)));
            } else {
                history.add(i % 2 == 0 ? user("u" + i, 1 + random.nextInt(300)) : assistant("a" + i, 1 + random.nextInt(300)));
            }
        }
        return history;
    }

    @Test
    void rollingSummarySendsTheSummaryThenEveryUncoveredMessage() {
        Summary summary = new Summary("Order 1234 was lost; a refund was promised.", 40, 20);
        List<CountedMessage> uncovered = List.of(user("u41", 10), assistant("a42", 10));
        BuiltContext context = ContextBuilder.build(ContextStrategy.ROLLING_SUMMARY, List.of(SYSTEM), summary, uncovered, true,
                List.of(QUESTION), 1000, 100);

        assertThat(contents(context)).containsExactly("You are a support agent.",
                Summary.prefix() + "Order 1234 was lost; a refund was promised.", "u41", "a42", "What now?");
        assertThat(context.messages().get(1).role()).isEqualTo(Role.SYSTEM);
        assertThat(context.promptTokens()).isEqualTo(10 + 20 + 20 + 8 + PRIMING);
    }

    @Test
    void rollingSummaryWithoutASummaryYetSendsTheWholeHistoryWhenItFits() {
        List<CountedMessage> history = List.of(user("u1", 10), assistant("a1", 10));
        BuiltContext context = ContextBuilder.build(ContextStrategy.ROLLING_SUMMARY, List.of(SYSTEM), null, history, true,
                List.of(QUESTION), 1000, 100);

        assertThat(contents(context)).containsExactly("You are a support agent.", "u1", "a1", "What now?");
    }

    @Test
    void rollingSummaryAsksForASummaryRatherThanDropAMessage() {
        List<CountedMessage> history = List.of(user("u1", 500), assistant("a1", 500));
        assertThatThrownBy(() -> ContextBuilder.build(ContextStrategy.ROLLING_SUMMARY, List.of(SYSTEM), null, history, true,
                List.of(QUESTION), 1000, 100)).isInstanceOf(SummaryNeededException.class);
        assertThatThrownBy(() -> ContextBuilder.build(ContextStrategy.ROLLING_SUMMARY, List.of(SYSTEM), null, List.of(user("u9", 5)), false,
                List.of(QUESTION), 1000, 100)).as("an incomplete tail of uncovered messages").isInstanceOf(SummaryNeededException.class);
    }

    @Test
    void otherStrategiesIgnoreTheSummary() {
        Summary summary = new Summary("ignored", 3, 20);
        BuiltContext context = ContextBuilder.build(ContextStrategy.TOKEN_BUDGET, List.of(SYSTEM), summary, List.of(user("u1", 10)), true,
                List.of(QUESTION), 1000, 100);

        assertThat(contents(context)).containsExactly("You are a support agent.", "u1", "What now?");
    }

    @Test
    void strategiesAreParsedFromTheirNames() {
        assertThat(ContextStrategy.parse("rolling_summary")).isEqualTo(ContextStrategy.ROLLING_SUMMARY);
        assertThat(ContextStrategy.parse("full")).isEqualTo(ContextStrategy.FULL);
        assertThat(ContextStrategy.parse(" Token_Budget ")).isEqualTo(ContextStrategy.TOKEN_BUDGET);
        assertThat(ContextStrategy.parse("sliding_window(12)")).isEqualTo(new ContextStrategy.SlidingWindow(12));
        assertThat(ContextStrategy.parse("sliding_window")).isEqualTo(new ContextStrategy.SlidingWindow(ContextStrategy.DEFAULT_WINDOW_MESSAGES));
        assertThat(ContextStrategy.parse("sliding_window(12)").toString()).isEqualTo("sliding_window(12)");
        assertThatThrownBy(() -> ContextStrategy.parse("everything")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("Unknown context strategy");
        assertThatThrownBy(() -> ContextStrategy.parse("sliding_window(0)")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> ContextStrategy.parse("sliding_window(999999)")).isInstanceOf(InvalidRequestException.class);
    }
}
