package io.sluice.http.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatOptions;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.ToolDefinition;
import io.sluice.domain.error.SluiceException;
import io.sluice.domain.error.UpstreamAuthenticationException;
import io.sluice.domain.error.UpstreamRateLimitedException;
import io.sluice.domain.error.UpstreamRejectedException;
import io.sluice.domain.error.UpstreamTimeoutException;
import io.sluice.domain.error.UpstreamUnavailableException;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.ProviderEnvironment;
import io.sluice.ports.out.ProviderSettings;
import io.sluice.testkit.simulator.Fault;
import io.sluice.testkit.simulator.Replies;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The OpenAI-compatible adapter against the simulator, over real HTTP. */
class OpenAiProviderTest {
    private static Simulator simulator;
    private static LlmProvider provider;

    @BeforeAll
    static void start() {
        simulator = new Simulator(SimulatorConfig.ofDefaults());
        simulator.start(0);
        provider = new OpenAiProviderFactory().create(new ProviderSettings("sim", "openai", simulator.baseUrl(), "sk-test",
                Duration.ofMillis(1500), 50, Map.of()), ProviderEnvironment.EMPTY);
    }

    @AfterAll
    static void stop() {
        provider.close();
        simulator.close();
    }

    @BeforeEach
    void resetSimulator() {
        simulator.configure(SimulatorConfig.ofDefaults());
        simulator.reset();
    }

    private static ChatRequest ask(String text) {
        return new ChatRequest("gpt-4o-mini", List.of(ChatMessage.system("Be brief."), ChatMessage.user(text)), null);
    }

    @Test
    void completesWithTheSimulatorsDeterministicReplyAndUsage() {
        ChatResponse response = provider.complete(ask("Where is my order?")).toCompletableFuture().join();

        String expected = Replies.text(List.of("Be brief.", "Where is my order?"), null, Replies.encodingFor("gpt-4o-mini"));
        assertThat(response.message().content()).isEqualTo(expected);
        assertThat(response.finishReason()).isEqualTo("stop");
        assertThat(response.usage().promptTokens()).isEqualTo((int) simulator.stats().promptTokens());
        assertThat(response.usage().completionTokens()).isEqualTo((int) simulator.stats().completionTokens()).isPositive();
        assertThat(simulator.recentRequests().getFirst().path("messages").get(1).path("content").asText()).isEqualTo("Where is my order?");
    }

    @Test
    void streamsTheSameTextAsTheCompleteAnswerWithUsageLast() {
        String complete = provider.complete(ask("Tell me about refunds please")).toCompletableFuture().join().message().content();
        List<ChatChunk> chunks = collect(provider.stream(ask("Tell me about refunds please")));

        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> text.append(c.contentDelta() == null ? "" : c.contentDelta()));
        assertThat(text.toString()).isEqualTo(complete);
        assertThat(chunks.getLast().usage()).isNotNull();
        assertThat(chunks.getLast().usage().completionTokens()).isPositive();
        assertThat(simulator.recentRequests().getLast().path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void streamsSlowlyWithBackpressureOneChunkAtATime() {
        simulator.configure(SimulatorConfig.ofDefaults().withStreamTiming(Duration.ofMillis(20), Duration.ofMillis(2)));
        List<ChatChunk> chunks = collect(provider.stream(ask("one two three four five six seven")));

        assertThat(chunks).hasSizeGreaterThan(10);
        assertThat(chunks.getFirst().role()).isNotNull();
    }

    @Test
    void mapsToolsBothWays() {
        ChatOptions tools = new ChatOptions(null, null, null, null,
                List.of(new ToolDefinition("lookup_order", "Find an order", "{\"type\":\"object\"}")), "\"auto\"", null, null,
                null, null, null, Map.of());
        ChatRequest request = new ChatRequest("gpt-4o-mini", List.of(ChatMessage.user("order 42?")), tools);

        ChatResponse response = provider.complete(request).toCompletableFuture().join();
        assertThat(response.finishReason()).isEqualTo("tool_calls");
        assertThat(response.message().toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("lookup_order");
            assertThat(c.argumentsJson()).contains("order 42?");
        });
        assertThat(simulator.recentRequests().getLast().path("tools").get(0).path("function").path("parameters").path("type").asText())
                .isEqualTo("object");

        List<ChatChunk> chunks = collect(provider.stream(request));
        assertThat(chunks).anySatisfy(c -> assertThat(c.toolCallDeltas()).isNotEmpty());
    }

    @Test
    void embedsThroughTheEmbeddingsEndpoint() {
        List<float[]> vectors = provider.embed("text-embedding-3-small", List.of("refund my order", "refund my order", "weather"))
                .toCompletableFuture().join();

        assertThat(vectors).hasSize(3);
        assertThat(vectors.get(0)).hasSize(64).containsExactly(vectors.get(1));
        assertThat(vectors.get(0)).isNotEqualTo(vectors.get(2));
    }

    @Test
    void rateLimitCarriesRetryAfter() {
        simulator.configure(SimulatorConfig.ofDefaults().withRetryAfter(Duration.ofSeconds(7)));
        SluiceException error = failure(ask("hi " + Fault.RATE_LIMIT.directive()));

        assertThat(error).isInstanceOf(UpstreamRateLimitedException.class);
        assertThat(((UpstreamRateLimitedException) error).retryAfter()).contains(Duration.ofSeconds(7));
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"SERVER_ERROR", "BAD_GATEWAY", "UNAVAILABLE", "RESET"})
    void upstreamFailuresAreRetriableAndUnavailable(Fault fault) {
        SluiceException error = failure(ask("hi " + fault.directive()));

        assertThat(error).isInstanceOf(UpstreamUnavailableException.class);
        int status = ((UpstreamUnavailableException) error).status();
        assertThat(status).isEqualTo(switch (fault) {
            case SERVER_ERROR -> 500;
            case BAD_GATEWAY -> 502;
            case UNAVAILABLE -> 503;
            default -> 0;
        });
    }

    @Test
    void aHangBecomesATimeout() {
        assertThat(failure(ask("hi " + Fault.HANG.directive()))).isInstanceOf(UpstreamTimeoutException.class);
    }

    @Test
    void anUnauthorizedKeyIsNotRetriable() {
        assertThat(failure(ask("hi " + Fault.UNAUTHORIZED.directive()))).isInstanceOf(UpstreamAuthenticationException.class)
                .hasMessageNotContaining("sk-test");
    }

    @Test
    void aRejectedRequestIsNotRetriableAndKeepsTheUpstreamsReason() {
        SluiceException error = failure(ask("hi " + Fault.BAD_REQUEST.directive()));

        assertThat(error).isInstanceOf(UpstreamRejectedException.class).hasMessageContaining("simulated bad request");
        assertThat(((UpstreamRejectedException) error).status()).isEqualTo(400);
    }

    @Test
    void aStreamCutMidAnswerIsAnErrorNotACleanEnd() {
        Flow.Publisher<ChatChunk> stream = provider.stream(ask("please tell me a long story " + Fault.STREAM_CUT.directive()));
        List<ChatChunk> received = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        stream.subscribe(subscriber(received, done));

        assertThatThrownBy(() -> done.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(UpstreamUnavailableException.class);
        assertThat(received).isNotEmpty();
    }

    @Test
    void streamErrorsBeforeTheFirstChunkKeepTheirStatus() {
        Flow.Publisher<ChatChunk> stream = provider.stream(ask("hi " + Fault.RATE_LIMIT.directive()));
        CompletableFuture<Void> done = new CompletableFuture<>();
        List<ChatChunk> received = new ArrayList<>();
        stream.subscribe(subscriber(received, done));

        assertThatThrownBy(() -> done.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(UpstreamRateLimitedException.class);
        assertThat(received).isEmpty();
    }

    private static SluiceException failure(ChatRequest request) {
        try {
            provider.complete(request).toCompletableFuture().join();
            return null;
        } catch (CompletionException e) {
            return (SluiceException) e.getCause();
        }
    }

    static List<ChatChunk> collect(Flow.Publisher<ChatChunk> publisher) {
        List<ChatChunk> chunks = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        publisher.subscribe(subscriber(chunks, done));
        done.orTimeout(10, TimeUnit.SECONDS).join();
        return chunks;
    }

    /** Asks for one chunk at a time, as a slow client would. */
    static Flow.Subscriber<ChatChunk> subscriber(List<ChatChunk> into, CompletableFuture<Void> done) {
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
