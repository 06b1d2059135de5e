package io.sluice.engine;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.Encoding;
import io.sluice.domain.error.ConversationNotFoundException;
import io.sluice.engine.internal.RecordingPublisher;
import io.sluice.engine.internal.StreamAccumulator;
import io.sluice.engine.internal.Turn;
import io.sluice.ports.in.ChatCall;
import io.sluice.ports.in.ChatCompletions;
import io.sluice.ports.in.ChatResult;
import io.sluice.ports.in.ChatStream;
import io.sluice.ports.in.ConversationRef;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.NewMessage;
import io.sluice.ports.out.TokenCounter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Runs one chat call: resolve the model, load the conversation, call the upstream, store the turn.
 * Thread-safe and non-blocking; every I/O step is a port that completes asynchronously.
 */
public final class ChatService implements ChatCompletions {
    private final ModelRegistry registry;
    private final ConversationStore store;
    private final TokenCounter tokens;
    private final Clock clock;

    public ChatService(ModelRegistry registry, ConversationStore store, TokenCounter tokens, Clock clock) {
        this.registry = registry;
        this.store = store;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public CompletionStage<ChatResult> complete(ChatCall call) {
        ModelRegistry.Route route = registry.resolve(call.request().model());
        return begin(call).thenCompose(turn -> route.provider()
                .complete(turn.upstreamRequest(route.spec().upstreamName()))
                .thenCompose(response -> record(turn, route, response.message(), Map.of())
                        .thenApply(stored -> new ChatResult(response, turn.conversationId()))));
    }

    @Override
    public CompletionStage<ChatStream> stream(ChatCall call) {
        ModelRegistry.Route route = registry.resolve(call.request().model());
        return begin(call).thenApply(turn -> {
            Flow.Publisher<ChatChunk> chunks = route.provider().stream(turn.upstreamRequest(route.spec().upstreamName()));
            if (!turn.isStored()) return new ChatStream(turn.conversationId(), chunks);
            return new ChatStream(turn.conversationId(), new RecordingPublisher(chunks,
                    (accumulated, error) -> recordStream(turn, route, accumulated, error)));
        });
    }

    private CompletionStage<Turn> begin(ChatCall call) {
        ChatRequest request = call.request();
        return switch (call.conversation()) {
            case ConversationRef.None none -> CompletableFuture.completedFuture(Turn.stateless(request));
            case ConversationRef.New created -> CompletableFuture.completedFuture(new Turn(
                    Conversation.start(ConversationId.random(), call.caller().owner(), call.caller().user(), clock.instant()),
                    List.of(), request));
            case ConversationRef.Existing existing -> store.find(existing.id(), call.caller().owner())
                    .thenCompose(found -> {
                        Conversation conversation = found.orElseThrow(
                                () -> new ConversationNotFoundException(existing.id().value()));
                        return store.messages(conversation.id()).thenApply(history -> new Turn(conversation, history, request));
                    });
        };
    }

    /**
     * Stores what a cut stream delivered, marked as truncated, so the history matches what the client saw;
     * stores nothing when the cut came before any content.
     */
    private CompletionStage<?> recordStream(Turn turn, ModelRegistry.Route route, StreamAccumulator accumulated, Throwable error) {
        if (error == null) return record(turn, route, accumulated.message(), Map.of());
        if (accumulated.isEmpty()) return CompletableFuture.completedFuture(null);
        return record(turn, route, accumulated.message(), Map.of("truncated", "true"));
    }

    private CompletionStage<?> record(Turn turn, ModelRegistry.Route route, ChatMessage reply, Map<String, String> replyMetadata) {
        if (!turn.isStored()) return CompletableFuture.completedFuture(null);
        Encoding encoding = route.spec().encoding();
        String model = route.spec().name();
        List<NewMessage> messages = new ArrayList<>(turn.request().messages().size() + 1);
        for (ChatMessage m : turn.request().messages()) {
            messages.add(new NewMessage(m, tokens.countMessage(m, encoding), model, Map.of()));
        }
        messages.add(new NewMessage(reply, tokens.countMessage(reply, encoding), model, replyMetadata));
        return store.append(turn.conversation(), messages);
    }
}
