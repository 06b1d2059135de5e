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
import io.sluice.domain.error.Failures;
import io.sluice.domain.error.GatewayOverloadedException;
import io.sluice.engine.models.ModelRegistry;
import io.sluice.engine.tokens.JtokkitTokenCounter;
import io.sluice.ports.in.Caller;
import io.sluice.ports.in.ChatCall;
import io.sluice.ports.in.ConversationRef;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.TokenCounter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A large prompt is counted on the prompt workers, never on the caller's thread; when they are full, it is refused. */
class LargePromptsTest {
    private final AtomicInteger upstreamCalls = new AtomicInteger();
    /** The threads that counted texts longer than the large-prompt threshold. */
    private final Set<String> countedOn = ConcurrentHashMap.newKeySet();

    private final TokenCounter recording = new TokenCounter() {
        private final JtokkitTokenCounter exact = new JtokkitTokenCounter();

        @Override
        public int countText(String text, Encoding encoding) {
            if (text != null && text.length() >= ChatService.LARGE_PROMPT_CHARS) countedOn.add(Thread.currentThread().getName());
            return exact.countText(text, encoding);
        }

        @Override
        public int countMessage(ChatMessage message, Encoding encoding, io.sluice.domain.MediaRule media) {
            if (message.content() != null && message.content().length() >= ChatService.LARGE_PROMPT_CHARS) {
                countedOn.add(Thread.currentThread().getName());
            }
            return exact.countMessage(message, encoding, media);
        }
    };

    private ModelRegistry registry() {
        LlmProvider upstream = new LlmProvider() {
            public String name() {
                return "up";
            }

            public CompletionStage<ChatResponse> complete(ChatRequest request) {
                upstreamCalls.incrementAndGet();
                return CompletableFuture.completedFuture(new ChatResponse("id", request.model(), 0, ChatMessage.assistant("ok"), "stop", new Usage(1, 1, 0)));
            }

            public Flow.Publisher<ChatChunk> stream(ChatRequest request) {
                throw new UnsupportedOperationException();
            }
        };
        return new ModelRegistry(Map.of("up", upstream), List.of(new ModelSpec("m", "up", "m", 1_000_000, Encoding.O200K_BASE, Prices.of("1", "2"))),
                Optional.empty(), Encoding.O200K_BASE);
    }

    private static ChatCall call(String text) {
        return new ChatCall(new Caller("owner", null), ConversationRef.NEW, new ChatRequest("m", List.of(ChatMessage.user(text)), null));
    }

    @Test
    void aLargePromptIsCountedOnAPromptWorker() {
        ChatService chat = ChatService.builder(registry(), new CountingStore(), recording).promptWorkers(PromptWorkers.create(1, 1)).build();

        chat.complete(call("word ".repeat(20_000))).toCompletableFuture().join();

        assertThat(countedOn).isNotEmpty().allSatisfy(thread -> assertThat(thread).startsWith("sluice-prompt-"));
        assertThat(upstreamCalls).hasValue(1);
    }

    @Test
    void whenThePromptWorkersAreFullALargePromptIsRefusedAsAnOverloadBeforeGoingUpstream() {
        ChatService chat = ChatService.builder(registry(), new CountingStore(), recording).promptWorkers(work -> {
            throw new RejectedExecutionException("full");
        }).build();

        var refused = chat.complete(call("word ".repeat(20_000))).toCompletableFuture();

        assertThat(refused).isCompletedExceptionally();
        assertThat(refused.handle((ok, error) -> Failures.cause(error)).join()).isInstanceOf(GatewayOverloadedException.class);
        assertThat(upstreamCalls).hasValue(0);
        chat.complete(call("a small one")).toCompletableFuture().join();
        assertThat(upstreamCalls).as("small prompts need no worker").hasValue(1);
    }
}
