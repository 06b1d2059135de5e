package io.sluice.engine;

import io.sluice.engine.memory.Turn;
import io.sluice.engine.memory.SummaryPolicy;
import io.sluice.engine.memory.ContextDefaults;
import io.sluice.engine.models.ModelRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.ConversationId;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.domain.Usage;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.context.Summary;
import io.sluice.engine.cache.LocalContextCache;
import io.sluice.engine.memory.Summarizer;
import io.sluice.engine.tokens.JtokkitTokenCounter;
import io.sluice.ports.in.Caller;
import io.sluice.ports.in.ChatCall;
import io.sluice.ports.in.ConversationRef;
import io.sluice.ports.out.LlmProvider;
import java.time.Clock;
import java.time.Duration;
import io.sluice.domain.StoredMessage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** Rolling summaries are made after a turn, off its latency path, and inline only when nothing else fits. */
class RollingSummaryTest {
    private final CountingStore store = new CountingStore();
    private final List<ChatRequest> chats = new CopyOnWriteArrayList<>();
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<ChatResponse>> pendingSummaries = new CopyOnWriteArrayList<>();
    /** While held, summary calls wait for this gate. */
    private final CompletableFuture<Void> gate = new CompletableFuture<>();
    private volatile boolean holdSummaries;

    private final LlmProvider provider = new LlmProvider() {
        public String name() {
            return "fake";
        }

        public CompletionStage<ChatResponse> complete(ChatRequest request) {
            if (Summarizer.INSTRUCTIONS.equals(request.messages().getFirst().content())) {
                order.add("summary");
                String last = request.messages().getLast().content();
                ChatResponse summary = new ChatResponse("s", request.model(), 0, ChatMessage.assistant("SUMMARY of " + last.length() + " chars"), "stop", Usage.ZERO);
                if (!holdSummaries) return CompletableFuture.completedFuture(summary);
                CompletableFuture<ChatResponse> answer = gate.thenApply(open -> summary);
                pendingSummaries.add(answer);
                return answer;
            }
            order.add("chat");
            chats.add(request);
            return CompletableFuture.completedFuture(new ChatResponse("c", request.model(), 0,
                    ChatMessage.assistant("Noted: " + request.messages().getLast().content()), "stop", Usage.ZERO));
        }

        public Flow.Publisher<ChatChunk> stream(ChatRequest request) {
            throw new UnsupportedOperationException();
        }
    };

    private ChatService service(SummaryPolicy policy) {
        ModelRegistry registry = new ModelRegistry(Map.of("fake", provider),
                List.of(new ModelSpec("m", "fake", "m", 600, Encoding.O200K_BASE, Prices.FREE)), Optional.empty(), Encoding.O200K_BASE);
        return ChatService.builder(registry, store, new JtokkitTokenCounter()).contextCache(new LocalContextCache(Duration.ofMinutes(5), LocalContextCache.DEFAULT_MAX_BYTES))
                .context(new ContextDefaults(ContextStrategy.ROLLING_SUMMARY, 100, 100_000, Map.of(), Map.of())).summaries(policy).build();
    }

    private static ConversationId turn(ChatService chat, ConversationRef ref, int i) {
        ChatRequest request = new ChatRequest("m", List.of(ChatMessage.user("Turn " + i + ": parcel " + (1000 + i) + " has not arrived yet, please check")), null);
        return chat.complete(new ChatCall(new Caller("owner", null), ref, request)).toCompletableFuture().join().conversationId().orElseThrow();
    }

    @Test
    void aSummaryIsRefreshedInTheBackgroundWithoutHoldingUpTheTurn() throws Exception {
        holdSummaries = true;
        ChatService chat = service(new SummaryPolicy(Optional.empty(), 150, 60, 80));
        ConversationId id = turn(chat, ConversationRef.NEW, 1);
        int i = 2;
        while (pendingSummaries.isEmpty() && i < 30) turn(chat, ConversationRef.existing(id), i++);

        assertThat(pendingSummaries).as("a refresh started once the threshold passed").hasSize(1);
        // the turn that started it has returned, and the next turn runs too, while the summary is still being written
        turn(chat, ConversationRef.existing(id), i++);
        assertThat(pendingSummaries.getFirst()).isNotDone();
        assertThat(store.summary.get(id)).isNull();

        gate.complete(null);
        Summary summary = await().atMost(Duration.ofSeconds(5)).until(() -> store.summary.get(id), s -> s != null);
        assertThat(summary.throughSeq()).isPositive();
        turn(chat, ConversationRef.existing(id), i);
        List<ChatMessage> sent = chats.getLast().messages();
        assertThat(sent.getFirst().content()).startsWith(Summary.prefix() + "SUMMARY of");
        assertThat(sent.getLast().content()).startsWith("Turn " + i + ":");
        // the stored answer says what its turn sent: the strategy, and the summary that stood for the older messages
        Map<String, String> said = store.messages.get(id).getLast().metadata();
        assertThat(said).containsEntry(StoredMessage.CONTEXT_STRATEGY, "rolling_summary")
                .containsEntry(StoredMessage.SUMMARY_THROUGH_SEQ, Long.toString(summary.throughSeq()))
                .containsEntry(StoredMessage.SUMMARY_TOKENS, Integer.toString(summary.tokens()))
                .containsKeys(StoredMessage.CONTEXT_TOKENS, StoredMessage.CONTEXT_MESSAGES, StoredMessage.COST_USD, StoredMessage.LATENCY_MS);
    }

    @Test
    void aSummaryIsMadeInlineOnlyWhenTheUncoveredMessagesCannotFit() {
        ChatService chat = service(new SummaryPolicy(Optional.empty(), 100_000, 60, 80));   // background never triggers
        ConversationId id = turn(chat, ConversationRef.NEW, 1);
        int turns = 1;
        while (!order.contains("summary") && turns < 40) turn(chat, ConversationRef.existing(id), ++turns);

        assertThat(order).contains("summary");
        int summaryAt = order.indexOf("summary");
        assertThat(order.subList(0, summaryAt)).as("no summary while everything fit").containsOnly("chat");
        int nextChat = order.subList(summaryAt, order.size()).indexOf("chat") + summaryAt;
        assertThat(order.subList(summaryAt, nextChat)).as("the call waited for its summary, written chunk by chunk").containsOnly("summary");
        assertThat(chats.getLast().messages().getFirst().content()).startsWith(Summary.prefix());
        int window = 600 - 100;
        int promptTokens = new JtokkitTokenCounter().countPrompt(chats.getLast().messages(), Encoding.O200K_BASE);
        assertThat(promptTokens).isLessThanOrEqualTo(window);
    }

}
