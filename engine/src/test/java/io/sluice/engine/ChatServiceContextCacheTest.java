package io.sluice.engine;

import io.sluice.engine.models.ModelRegistry;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.ConversationId;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.domain.Usage;
import io.sluice.engine.cache.LocalContextCache;
import io.sluice.engine.tokens.JtokkitTokenCounter;
import io.sluice.ports.in.Caller;
import io.sluice.ports.in.ChatCall;
import io.sluice.ports.in.ConversationRef;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.NewMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** The engine with the context cache: warm turns read nothing from the store, and a concurrent writer is never missed. */
class ChatServiceContextCacheTest {
    private final CountingStore store = new CountingStore();
    private final List<ChatRequest> sent = new CopyOnWriteArrayList<>();
    private final ChatService chat = ChatService.builder(registry(), store, new JtokkitTokenCounter())
            .contextCache(new LocalContextCache(Duration.ofMinutes(5), LocalContextCache.DEFAULT_MAX_BYTES)).build();

    private ModelRegistry registry() {
        LlmProvider echo = new LlmProvider() {
            public String name() {
                return "echo";
            }

            public CompletionStage<ChatResponse> complete(ChatRequest request) {
                sent.add(request);
                return CompletableFuture.completedFuture(new ChatResponse("id", request.model(), 0,
                        ChatMessage.assistant("re: " + request.messages().getLast().content()), "stop", Usage.ZERO));
            }

            public Flow.Publisher<ChatChunk> stream(ChatRequest request) {
                throw new UnsupportedOperationException();
            }
        };
        return new ModelRegistry(Map.of("echo", echo),
                List.of(new ModelSpec("m", "echo", "m", 100_000, Encoding.O200K_BASE, Prices.FREE)), Optional.empty(), Encoding.O200K_BASE);
    }

    private ConversationId turn(ConversationRef ref, String text) {
        return chat.complete(new ChatCall(new Caller("owner", null), ref, new ChatRequest("m", List.of(ChatMessage.user(text)), null)))
                .toCompletableFuture().join().conversationId().orElseThrow();
    }

    private List<String> lastSentContents() {
        return sent.getLast().messages().stream().map(ChatMessage::content).toList();
    }

    @Test
    void warmTurnsReadNothingFromTheStore() {
        ConversationId id = turn(ConversationRef.NEW, "one");
        int readsAfterFirst = store.reads.get();
        turn(ConversationRef.existing(id), "two");
        turn(ConversationRef.existing(id), "three");

        assertThat(store.reads.get()).isEqualTo(readsAfterFirst);
        assertThat(lastSentContents()).containsExactly("one", "re: one", "two", "re: two", "three");
    }

    @Test
    void aTurnWrittenByAnotherReplicaIsNeverMissed() {
        ConversationId id = turn(ConversationRef.NEW, "one");
        turn(ConversationRef.existing(id), "two");
        // another gateway appends a turn straight to the shared store; this gateway's cache does not know of it
        store.append(store.conversations.get(id), List.of(new NewMessage(ChatMessage.user("elsewhere"), 5, "m", Map.of()),
                new NewMessage(ChatMessage.assistant("re: elsewhere"), 5, "m", Map.of())));

        turn(ConversationRef.existing(id), "three");   // built from the stale cache, but its write is not contiguous...
        int reads = store.reads.get();
        turn(ConversationRef.existing(id), "four");     // ...so this one misses and reads the store

        assertThat(store.reads.get()).isGreaterThan(reads);
        assertThat(lastSentContents()).containsSubsequence("elsewhere", "re: elsewhere", "three", "re: three", "four");
    }
}
