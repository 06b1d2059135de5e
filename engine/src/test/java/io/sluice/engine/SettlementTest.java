package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.domain.Usage;
import io.sluice.domain.usage.SpendFilter;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.domain.usage.UsageQuery;
import io.sluice.domain.usage.UsageTotal;
import io.sluice.engine.models.ModelRegistry;
import io.sluice.engine.tokens.JtokkitTokenCounter;
import io.sluice.ports.in.Caller;
import io.sluice.ports.in.ChatCall;
import io.sluice.ports.in.ConversationRef;
import io.sluice.ports.out.CallEvents;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.UsageLedger;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** A call's one end: a bill the ledger refuses is reported and does not turn the served answer into a failure. */
class SettlementTest {
    private final List<String> events = new CopyOnWriteArrayList<>();

    private final CallEvents recorder = new CallEvents() {
        @Override
        public void ended(String outcome) {
            events.add(outcome);
        }

        @Override
        public void billUnwritten() {
            events.add("bill unwritten");
        }
    };

    /** A ledger whose database is down. */
    private static final UsageLedger DOWN = new UsageLedger() {
        @Override
        public CompletionStage<Void> record(List<UsageEntry> entries) {
            return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
        }

        @Override
        public CompletionStage<List<UsageTotal>> totals(UsageQuery query) {
            return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
        }

        @Override
        public CompletionStage<BigDecimal> spent(SpendFilter filter) {
            return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
        }

        @Override
        public CompletionStage<Map<String, BigDecimal>> billed(Collection<String> requestIds) {
            return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
        }
    };

    private static ModelRegistry registry() {
        LlmProvider upstream = new LlmProvider() {
            public String name() {
                return "up";
            }

            public CompletionStage<ChatResponse> complete(ChatRequest request) {
                return CompletableFuture.completedFuture(new ChatResponse("id", request.model(), 0, ChatMessage.assistant("Your parcel is on its way."),
                        "stop", new Usage(12, 7, 0)));
            }

            public Flow.Publisher<ChatChunk> stream(ChatRequest request) {
                throw new UnsupportedOperationException();
            }
        };
        return new ModelRegistry(Map.of("up", upstream), List.of(new ModelSpec("m", "up", "m", 100_000, Encoding.O200K_BASE, Prices.of("1", "2"))),
                Optional.empty(), Encoding.O200K_BASE);
    }

    @Test
    void aBillTheLedgerCannotWriteIsReportedAndTheServedAnswerStillGoesOut() {
        ChatService chat = ChatService.builder(registry(), new CountingStore(), new JtokkitTokenCounter()).ledger(DOWN).events(recorder).build();
        var result = chat.complete(new ChatCall(new Caller("owner", "customer-1"), ConversationRef.NONE,
                new ChatRequest("m", List.of(ChatMessage.user("Where is my parcel?")), null))).toCompletableFuture().join();
        assertThat(result.response().message().content()).isEqualTo("Your parcel is on its way.");
        assertThat(events).containsExactly("bill unwritten", "completed");
    }

    @Test
    void aCallRefusedBeforeItsContextEndsOnceAsRefused() {
        ChatService chat = ChatService.builder(registry(), new CountingStore(), new JtokkitTokenCounter()).events(recorder).build();
        var refused = chat.complete(new ChatCall(new Caller("owner", null), ConversationRef.NONE,
                new ChatRequest("no-such-model", List.of(ChatMessage.user("hi")), null))).toCompletableFuture();
        assertThat(refused).isCompletedExceptionally();
        assertThat(events).containsExactly("refused");
    }
}
