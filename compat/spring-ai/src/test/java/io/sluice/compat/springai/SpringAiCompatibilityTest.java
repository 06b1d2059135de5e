package io.sluice.compat.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.app.Gateway;
import io.sluice.app.config.ConfigLoader;
import io.sluice.testkit.matrix.MatrixCell;
import io.sluice.testkit.simulator.Fault;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.content.Media;
import org.springframework.ai.converter.BeanOutputConverter;
import org.springframework.ai.document.MetadataMode;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.ai.openai.OpenAiEmbeddingOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.ai.openai.api.ResponseFormat;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.function.FunctionToolCallback;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/**
 * Spring AI's OpenAI client (pinned by its BOM in this module's POM) against a running gateway in front of the
 * simulator, one cell of the client matrix each: plain and streamed answers with usage, a tool Spring AI runs itself,
 * structured output, images, embeddings, errors as its exception classes, and a stream the upstream cuts after its
 * first chunk, which must end the Flux with an error. Spring AI ignores SSE error events, and completed the Flux on a cleanly ended body with half
 * an answer; the gateway now aborts the body instead.
 */
class SpringAiCompatibilityTest {
    private static final String SPRING_AI = "Spring AI";
    private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAACAAAABAACAIAAABp9JbO";
    private static Simulator simulator;
    private static Gateway gateway;
    private static OpenAiApi api;
    private static OpenAiChatModel model;

    @BeforeAll
    static void start() throws Exception {
        simulator = new Simulator(SimulatorConfig.ofDefaults());
        simulator.start(0);
        Path dir = Files.createTempDirectory("sluice-spring-ai");
        Path file = Files.writeString(dir.resolve("sluice.yaml"), """
                sluice:
                  server: {port: 0}
                  storage: {type: embedded, embedded: {path: "%s"}}
                  providers:
                    sim: {type: openai, base-url: "%s", api-key: sk-sim-secret}
                  passthrough-provider: sim
                """.formatted(dir.resolve("data"), simulator.baseUrl()));
        gateway = Gateway.start(ConfigLoader.load(Optional.of(file), Map.of(), Map.of()));
        api = OpenAiApi.builder().baseUrl("http://127.0.0.1:" + gateway.port()).apiKey("sk-any")
                .webClientBuilder(WebClient.builder().clientConnector(new JdkClientHttpConnector())).build();
        // one attempt: Spring AI's default retries a 429 ten times with backoff, which the errors cell would wait out
        model = OpenAiChatModel.builder().openAiApi(api).retryTemplate(RetryTemplate.builder().maxAttempts(1).build())
                .defaultOptions(OpenAiChatOptions.builder().model("gpt-4o-mini").build()).build();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
        if (simulator != null) simulator.close();
    }

    @Test
    @MatrixCell(client = SPRING_AI, capability = "chat")
    void aPlainAnswer() {
        assertThat(model.call("Where is my parcel?")).isNotBlank();
    }

    @Test
    @MatrixCell(client = SPRING_AI, capability = "stream with usage")
    void aStreamedAnswerCompletes() {
        List<String> parts = new CopyOnWriteArrayList<>();
        AtomicReference<Usage> usage = new AtomicReference<>();
        Flux<ChatResponse> stream = model.stream(new Prompt("Where is my parcel?", OpenAiChatOptions.builder().streamUsage(true).build()));

        stream.doOnNext(r -> {
            parts.add(text(r));
            if (r.getMetadata().getUsage() != null && r.getMetadata().getUsage().getCompletionTokens() != null
                    && r.getMetadata().getUsage().getCompletionTokens() > 0) usage.set(r.getMetadata().getUsage());
        }).blockLast(Duration.ofSeconds(10));

        assertThat(String.join("", parts)).isNotBlank();
        assertThat(usage.get()).as("the usage chunk").isNotNull();
    }

    @Test
    @MatrixCell(client = SPRING_AI, capability = "cut stream raises an error")
    void aStreamCutMidAnswerEndsTheFluxWithAnError() {
        List<String> parts = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicBoolean completed = new AtomicBoolean();
        Flux<ChatResponse> stream = model.stream(new Prompt("tell me a long story please now " + Fault.STREAM_CUT.directive()));

        stream.doOnNext(r -> parts.add(text(r))).doOnComplete(() -> completed.set(true))
                .onErrorResume(e -> {
                    error.set(e);
                    return Flux.empty();
                }).blockLast(Duration.ofSeconds(10));

        // what was delivered before the cut may or may not reach the Flux (the JDK client can drop what it had
        // buffered when the connection goes): what matters is that it ends as an error
        assertThat(error.get()).as("the Flux ends with an error").isNotNull();
        assertThat(completed).as("never a clean completion").isFalse();
    }

    private static String text(ChatResponse response) {
        return response.getResult() == null || response.getResult().getOutput().getText() == null ? "" : response.getResult().getOutput().getText();
    }

    record LookupOrder(String orderId) {}

    @Test
    @MatrixCell(client = SPRING_AI, capability = "tools round trip")
    void aToolIsCalledAndItsResultAnswered() {
        List<String> asked = new CopyOnWriteArrayList<>();
        ToolCallback lookup = FunctionToolCallback.<LookupOrder, String>builder("lookup_order", order -> {
            asked.add(order.orderId());
            return "shipped yesterday";
        }).description("Find an order").inputType(LookupOrder.class).build();

        ChatResponse answer = model.call(new Prompt("Where is order 42?", OpenAiChatOptions.builder().toolCallbacks(List.of(lookup)).build()));

        assertThat(asked).as("Spring AI ran the tool the model called").hasSize(1);
        assertThat(text(answer)).isNotBlank();
        assertThat(simulator.recentRequests().getLast().path("messages").toString()).contains("shipped yesterday");
    }

    record OrderStatus(String orderId, int itemsShipped) {}

    @Test
    @MatrixCell(client = SPRING_AI, capability = "structured output")
    void aStructuredAnswerConvertsIntoARecord() {
        BeanOutputConverter<OrderStatus> converter = new BeanOutputConverter<>(OrderStatus.class);
        ResponseFormat format = ResponseFormat.builder().type(ResponseFormat.Type.JSON_SCHEMA).jsonSchema(converter.getJsonSchema()).build();

        ChatResponse answer = model.call(new Prompt("Status of order 42?", OpenAiChatOptions.builder().responseFormat(format).build()));

        assertThat(converter.convert(text(answer)).orderId()).isNotBlank();
    }

    @Test
    @MatrixCell(client = SPRING_AI, capability = "images")
    void anImageReachesTheModel() {
        Media screenshot = Media.builder().mimeType(MimeTypeUtils.IMAGE_PNG).data(new ByteArrayResource(Base64.getDecoder().decode(PNG))).build();

        ChatResponse answer = model.call(new Prompt(UserMessage.builder().text("What is wrong with this order?").media(screenshot).build()));

        assertThat(text(answer)).isNotBlank();
        assertThat(simulator.recentRequests().getLast().path("messages").get(0).path("content").toString()).contains(PNG);
    }

    @Test
    @MatrixCell(client = SPRING_AI, capability = "embeddings")
    void textsAreEmbedded() {
        OpenAiEmbeddingModel embeddings = new OpenAiEmbeddingModel(api, MetadataMode.EMBED,
                OpenAiEmbeddingOptions.builder().model("text-embedding-3-small").build());

        List<float[]> vectors = embeddings.embed(List.of("How do refunds work?", "Where is my parcel?"));

        assertThat(vectors).hasSize(2);
        assertThat(vectors.getFirst()).isNotEmpty();
    }

    @Test
    @MatrixCell(client = SPRING_AI, capability = "errors by class")
    void errorsArriveAsSpringAisClasses() {
        assertThatThrownBy(() -> model.call(new Prompt("hi", OpenAiChatOptions.builder().temperature(5.0).build())))
                .isInstanceOf(NonTransientAiException.class).hasMessageContaining("temperature");
        assertThatThrownBy(() -> model.call("hi " + Fault.BAD_REQUEST.directive())).isInstanceOf(NonTransientAiException.class);
        // Spring AI's own rule: every 4xx, 429 included, is non-transient; a 5xx is transient
        assertThatThrownBy(() -> model.call("hi " + Fault.RATE_LIMIT.directive())).isInstanceOf(NonTransientAiException.class)
                .hasMessageStartingWith("429").hasMessageContaining("rate_limit_error");
        assertThatThrownBy(() -> model.call("hi " + Fault.UNAVAILABLE.directive())).isInstanceOf(TransientAiException.class);
    }
}
