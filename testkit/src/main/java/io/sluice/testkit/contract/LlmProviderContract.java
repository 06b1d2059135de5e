package io.sluice.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatOptions;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.ToolCall;
import io.sluice.domain.ToolDefinition;
import io.sluice.domain.error.SluiceException;
import io.sluice.domain.error.UnsupportedFeatureException;
import io.sluice.domain.error.UpstreamAuthenticationException;
import io.sluice.domain.error.UpstreamRateLimitedException;
import io.sluice.domain.error.UpstreamRejectedException;
import io.sluice.domain.error.UpstreamTimeoutException;
import io.sluice.domain.error.UpstreamUnavailableException;
import io.sluice.domain.sla.FailureClass;
import io.sluice.ports.out.LlmProvider;
import io.sluice.testkit.simulator.Fault;
import io.sluice.testkit.simulator.Replies;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link LlmProvider} must do, against the simulator over real HTTP: the same deterministic answer and
 * usage whichever API carries it, streams that say the same as plain answers, tools both ways, embeddings, and one
 * status-to-error table. A feature switched off must throw {@link UnsupportedFeatureException}. An adapter test
 * extends this with a provider pointed at the simulator's base URL for its API.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LlmProviderContract {
    /** The provider under test, talking to {@code simulator}; {@code timeout} is how long the upstream may stay silent. */
    protected abstract LlmProvider create(Simulator simulator, Duration timeout);

    protected boolean supportsStreaming() {
        return true;
    }

    protected boolean supportsTools() {
        return true;
    }

    protected boolean supportsEmbeddings() {
        return false;
    }

    /** The status this API answers "overloaded" with: 503, or Anthropic's 529. */
    protected int overloadedStatus() {
        return 503;
    }

    protected String model() {
        return "gpt-4o-mini";
    }

    protected Simulator simulator;
    protected LlmProvider provider;

    @BeforeAll
    void start() {
        simulator = new Simulator(SimulatorConfig.ofDefaults());
        simulator.start(0);
        provider = create(simulator, Duration.ofMillis(1500));
    }

    @AfterAll
    void stop() {
        provider.close();
        simulator.close();
    }

    @BeforeEach
    void resetSimulator() {
        simulator.configure(SimulatorConfig.ofDefaults());
        simulator.reset();
    }

    protected ChatRequest ask(String text) {
        return new ChatRequest(model(), List.of(ChatMessage.system("Be brief."), ChatMessage.user(text)), null);
    }

    @Test
    void completesWithTheSimulatorsDeterministicReplyAndUsage() {
        ChatResponse response = provider.complete(ask("Where is my order?")).toCompletableFuture().join();

        String expected = Replies.text(List.of("Be brief.", "Where is my order?"), null, Replies.encodingFor(model()));
        assertThat(response.message().content()).isEqualTo(expected);
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.usage().promptTokens()).isEqualTo((int) simulator.stats().promptTokens()).isPositive();
        assertThat(response.usage().completionTokens()).isEqualTo((int) simulator.stats().completionTokens()).isPositive();
    }

    @Test
    void consecutiveMessagesOfOneRoleAndASystemPromptAllReachTheUpstream() {
        ChatRequest request = new ChatRequest(model(), List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hello."),
                ChatMessage.user("Where is my order?")), null);
        ChatResponse response = provider.complete(request).toCompletableFuture().join();

        assertThat(response.message().content()).isNotBlank();
        assertThat(response.usage().promptTokens()).isGreaterThan(provider.complete(ask("Where is my order?")).toCompletableFuture().join()
                .usage().promptTokens());
    }

    @Test
    void streamsTheSameTextAsTheCompleteAnswerWithUsageLast() {
        if (!supportsStreaming()) {
            assertUnsupported(() -> collect(provider.stream(ask("hi"))));
            return;
        }
        ChatResponse complete = provider.complete(ask("Tell me about refunds please")).toCompletableFuture().join();
        List<ChatChunk> chunks = collect(provider.stream(ask("Tell me about refunds please")));

        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.contentDelta() == null ? "" : c.contentDelta()));
        assertThat(text.toString()).isEqualTo(complete.message().content());
        assertThat(chunks).anySatisfy(c -> assertThat(c.finishReason()).isEqualTo("stop"));
        assertThat(chunks.getLast().usage()).isEqualTo(complete.usage());
    }

    @Test
    void streamsWithBackpressureOneChunkAtATime() {
        if (!supportsStreaming()) return;
        simulator.configure(SimulatorConfig.ofDefaults().withStreamTiming(Duration.ofMillis(20), Duration.ofMillis(2)));
        List<ChatChunk> chunks = collect(provider.stream(ask("one two three four five six seven")));

        assertThat(chunks).hasSizeGreaterThan(10);
    }

    private static final ChatOptions TOOLS = ChatOptions.builder()
            .tools(List.of(new ToolDefinition("lookup_order", "Find an order", "{\"type\":\"object\",\"properties\":{\"query\":{\"type\":\"string\"}}}")))
            .toolChoiceJson("\"auto\"").build();

    @Test
    void mapsToolCallsAndToolResultsBothWays() {
        ChatRequest request = new ChatRequest(model(), List.of(ChatMessage.user("order 42?")), TOOLS);
        if (!supportsTools()) {
            assertUnsupported(() -> provider.complete(request).toCompletableFuture().join());
            return;
        }
        ChatResponse response = provider.complete(request).toCompletableFuture().join();
        assertThat(response.finishReason()).as("%s", response).isEqualTo("tool_calls");
        ToolCall call = response.message().toolCalls().getFirst();
        assertThat(call.name()).isEqualTo("lookup_order");
        assertThat(call.argumentsJson()).contains("order 42?");

        ChatRequest answered = new ChatRequest(model(), List.of(ChatMessage.user("order 42?"), ChatMessage.assistant(null, List.of(call)),
                ChatMessage.toolResult(call.id(), "{\"status\":\"shipped\"}")), TOOLS);
        ChatResponse reply = provider.complete(answered).toCompletableFuture().join();
        assertThat(reply.finishReason()).isEqualTo("stop");
        assertThat(reply.message().content()).isNotBlank();

        if (supportsStreaming()) {
            List<ChatChunk> chunks = collect(provider.stream(request));
            StringBuilder arguments = new StringBuilder();
            chunks.forEach(c -> c.toolCallDeltas().forEach(d -> arguments.append(d.argumentsDelta() == null ? "" : d.argumentsDelta())));
            assertThat(chunks).anySatisfy(c -> assertThat(c.toolCallDeltas()).anySatisfy(d -> assertThat(d.name()).isEqualTo("lookup_order")));
            assertThat(arguments.toString()).contains("order 42?");
        }
    }

    @Test
    void embedsOrSaysItCannot() {
        if (!supportsEmbeddings()) {
            assertUnsupported(() -> provider.embed("text-embedding-3-small", List.of("refund")).toCompletableFuture().join());
            return;
        }
        List<float[]> vectors = provider.embed("text-embedding-3-small", List.of("refund my order", "refund my order", "weather"))
                .toCompletableFuture().join();
        assertThat(vectors).hasSize(3);
        assertThat(vectors.get(0)).containsExactly(vectors.get(1));
        assertThat(vectors.get(0)).isNotEqualTo(vectors.get(2));
    }

    /** The status-to-error table: each upstream failure becomes the gateway exception the retry table expects. */
    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"RATE_LIMIT", "SERVER_ERROR", "BAD_GATEWAY", "UNAVAILABLE", "BAD_REQUEST", "UNAUTHORIZED", "RESET", "HANG"})
    void mapsEveryUpstreamFailure(Fault fault) {
        simulator.configure(SimulatorConfig.ofDefaults().withRetryAfter(Duration.ofSeconds(7)));
        SluiceException error = failure(ask("hi " + fault.directive()));

        switch (fault) {
            case RATE_LIMIT -> {
                assertThat(error).isInstanceOf(UpstreamRateLimitedException.class);
                assertThat(((UpstreamRateLimitedException) error).retryAfter()).contains(Duration.ofSeconds(7));
            }
            case SERVER_ERROR, BAD_GATEWAY -> assertThat(((UpstreamUnavailableException) error).status()).isEqualTo(fault == Fault.SERVER_ERROR ? 500 : 502);
            case UNAVAILABLE -> assertThat(((UpstreamUnavailableException) error).status()).isEqualTo(overloadedStatus());
            case BAD_REQUEST -> assertThat(error).isInstanceOf(UpstreamRejectedException.class).hasMessageContaining("simulated bad request");
            case UNAUTHORIZED -> assertThat(error).isInstanceOf(UpstreamAuthenticationException.class).hasMessageNotContaining("sk-");
            case RESET -> assertThat(((UpstreamUnavailableException) error).status()).isZero();
            case HANG -> assertThat(error).isInstanceOf(UpstreamTimeoutException.class);
            default -> throw new IllegalStateException();
        }
        assertThat(FailureClass.of(error)).isEqualTo(switch (fault) {
            case RATE_LIMIT, UNAVAILABLE -> FailureClass.RETRY_LATER;
            case BAD_REQUEST -> FailureClass.NEVER;
            case UNAUTHORIZED -> FailureClass.SWITCH_KEY;
            default -> FailureClass.RETRY_NOW;
        });
    }

    @Test
    void aStreamCutMidAnswerIsAnErrorNotACleanEnd() {
        if (!supportsStreaming()) return;
        List<ChatChunk> received = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        provider.stream(ask("please tell me a long story " + Fault.STREAM_CUT.directive())).subscribe(subscriber(received, done));

        assertThatThrownBy(() -> done.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(UpstreamUnavailableException.class);
        assertThat(received).isNotEmpty();
    }

    @Test
    void streamErrorsBeforeTheFirstChunkKeepTheirStatus() {
        if (!supportsStreaming()) return;
        List<ChatChunk> received = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        provider.stream(ask("hi " + Fault.RATE_LIMIT.directive())).subscribe(subscriber(received, done));

        assertThatThrownBy(() -> done.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(UpstreamRateLimitedException.class);
        assertThat(received).isEmpty();
    }

    private static void assertUnsupported(Runnable call) {
        assertThatThrownBy(call::run).satisfiesAnyOf(
                e -> assertThat(e).isInstanceOf(UnsupportedFeatureException.class),
                e -> assertThat(e).hasCauseInstanceOf(UnsupportedFeatureException.class));
    }

    protected SluiceException failure(ChatRequest request) {
        try {
            provider.complete(request).toCompletableFuture().join();
            throw new AssertionError("the call should have failed");
        } catch (CompletionException e) {
            return (SluiceException) e.getCause();
        }
    }

    public static List<ChatChunk> collect(Flow.Publisher<ChatChunk> publisher) {
        List<ChatChunk> chunks = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        publisher.subscribe(subscriber(chunks, done));
        done.orTimeout(10, TimeUnit.SECONDS).join();
        return chunks;
    }

    /** Asks for one chunk at a time, as a slow client would. */
    public static Flow.Subscriber<ChatChunk> subscriber(List<ChatChunk> into, CompletableFuture<Void> done) {
        return new Flow.Subscriber<>() {
            private Flow.Subscription s;

            public void onSubscribe(Flow.Subscription subscription) {
                s = subscription;
                s.request(1);
            }

            public void onNext(ChatChunk item) {
                synchronized (into) {
                    into.add(item);
                }
                s.request(1);
            }

            public void onError(Throwable throwable) {
                done.completeExceptionally(throwable);
            }

            public void onComplete() {
                done.complete(null);
            }
        };
    }
}
