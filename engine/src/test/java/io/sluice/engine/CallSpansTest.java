package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.domain.Role;
import io.sluice.domain.Usage;
import io.sluice.domain.error.UpstreamRejectedException;
import io.sluice.engine.models.ModelRegistry;
import io.sluice.engine.tokens.JtokkitTokenCounter;
import io.sluice.ports.in.Caller;
import io.sluice.ports.in.ChatCall;
import io.sluice.ports.in.ConversationRef;
import io.sluice.ports.out.LlmProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Every call's span ends once, with its children, whichever way the call ends: answered, refused before it opened,
 * failed by its upstream, or cancelled by its client halfway through a stream.
 */
class CallSpansTest {
    private final RecordingTracer tracer = new RecordingTracer();

    /** Model {@code ok} answers (and streams three chunks, one per request); {@code bad} refuses every request. */
    private static ModelRegistry registry() {
        LlmProvider upstream = new LlmProvider() {
            public String name() {
                return "up";
            }

            public CompletionStage<ChatResponse> complete(ChatRequest request) {
                if (request.model().equals("bad")) return CompletableFuture.failedFuture(new UpstreamRejectedException(400, "bad request"));
                return CompletableFuture.completedFuture(new ChatResponse("id", request.model(), 0, ChatMessage.assistant("On its way."), "stop",
                        new Usage(12, 7, 0)));
            }

            public Flow.Publisher<ChatChunk> stream(ChatRequest request) {
                return subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
                    private int sent;

                    public void request(long n) {
                        for (long i = 0; i < n && sent < 3; i++) {
                            sent++;
                            subscriber.onNext(new ChatChunk("id", request.model(), 0, Role.ASSISTANT, "word ", List.of(), null, null));
                        }
                    }

                    public void cancel() {}
                });
            }
        };
        return new ModelRegistry(Map.of("up", upstream), List.of(
                new ModelSpec("ok", "up", "ok", 100_000, Encoding.O200K_BASE, Prices.of("1", "2")),
                new ModelSpec("bad", "up", "bad", 100_000, Encoding.O200K_BASE, Prices.of("1", "2"))), Optional.empty(), Encoding.O200K_BASE);
    }

    private ChatService chat() {
        return ChatService.builder(registry(), new CountingStore(), new JtokkitTokenCounter()).tracer(tracer).build();
    }

    private static ChatCall call(String model) {
        return new ChatCall(new Caller("acme", "customer-1"), ConversationRef.NONE, new ChatRequest(model, List.of(ChatMessage.user("Where is my parcel?")), null));
    }

    @Test
    void anAnsweredCallIsASpanWithItsContextItsAttemptAndItsStorageEachEndedOnce() {
        chat().complete(call("ok")).toCompletableFuture().join();
        RecordingTracer.Recorded span = tracer.named("chat ok").getFirst();
        assertThat(span.attributes).containsEntry("gen_ai.operation.name", "chat").containsEntry("gen_ai.request.model", "ok")
                .containsEntry("gen_ai.response.model", "ok").containsEntry("gen_ai.usage.input_tokens", 12L)
                .containsEntry("gen_ai.usage.output_tokens", 7L).containsEntry("sluice.owner", "acme").containsEntry("user.id", "customer-1")
                .containsEntry("sluice.cost_usd", "0.000026000").containsEntry("sluice.outcome", "completed");
        assertThat(span.errorType).isNull();
        assertThat(tracer.spans).extracting(s -> s.name).containsExactlyInAnyOrder("chat ok", "sluice.context", "chat ok", "sluice.storage");
        assertThat(tracer.spans).allSatisfy(s -> assertThat(s.ends).hasValue(1));
        assertThat(tracer.spans).filteredOn(s -> s != span).allSatisfy(s -> assertThat(s.parent).isSameAs(span));
    }

    @Test
    void aCallRefusedBeforeItOpensStillEndsItsSpanOnceSayingWhy() {
        assertThat(chat().complete(call("no-such-model")).toCompletableFuture()).isCompletedExceptionally();
        assertThat(tracer.spans).singleElement().satisfies(s -> {
            assertThat(s.errorType).isEqualTo("ModelNotFoundException");
            assertThat(s.attributes).containsEntry("sluice.outcome", "refused");
            assertThat(s.ends).hasValue(1);
        });
    }

    @Test
    void aCallItsUpstreamRefusesEndsFailedAndSoDoesItsAttempt() {
        assertThat(chat().complete(call("bad")).toCompletableFuture()).isCompletedExceptionally();
        RecordingTracer.Recorded span = tracer.spans.getFirst();
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(span.ends).hasValue(1));
        assertThat(span.errorType).isEqualTo("UpstreamRejectedException");
        assertThat(span.attributes).containsEntry("sluice.outcome", "failed");
        RecordingTracer.Recorded attempt = tracer.spans.stream().filter(s -> s.kind == io.sluice.ports.out.TraceSpan.Kind.CLIENT).findFirst().orElseThrow();
        assertThat(attempt.errorType).isEqualTo("rejected");
        assertThat(attempt.attributes).containsEntry("sluice.attempt.outcome", "failed").containsEntry("sluice.upstream_key", "up");
        assertThat(tracer.spans).allSatisfy(s -> assertThat(s.ends).hasValue(1));
    }

    @Test
    void aStreamItsClientLeavesAfterTheFirstChunkEndsCancelledWithItsFirstChunkMarked() {
        var stream = chat().stream(call("ok")).toCompletableFuture().join();
        CompletableFuture<Void> first = new CompletableFuture<>();
        stream.chunks().subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription subscription;

            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
            }

            public void onNext(ChatChunk chunk) {
                subscription.cancel(); // the client hangs up
                first.complete(null);
            }

            public void onError(Throwable error) {}

            public void onComplete() {}
        });
        first.join();
        RecordingTracer.Recorded span = tracer.named("chat ok").getFirst();
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(span.ends).hasValue(1));
        assertThat(span.events).containsExactly("sluice.first_chunk");
        assertThat(span.attributes).containsEntry("sluice.outcome", "cancelled");
        assertThat(span.errorType).isEqualTo("cancelled");
        assertThat(tracer.spans).allSatisfy(s -> assertThat(s.ends).hasValue(1));
    }
}
