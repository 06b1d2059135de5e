package io.sluice.compat.springai;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.app.Gateway;
import io.sluice.app.config.ConfigLoader;
import io.sluice.testkit.simulator.Fault;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

/**
 * Spring AI's OpenAI client (pinned by its BOM in this module's POM) against a running gateway in front of the
 * simulator: plain and streamed answers, and a stream the upstream cuts after its first chunk, which must end the
 * Flux with an error. Spring AI ignores SSE error events, and completed the Flux on a cleanly ended body with half
 * an answer; the gateway now aborts the body instead.
 */
class SpringAiCompatibilityTest {
    private static Simulator simulator;
    private static Gateway gateway;
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
        OpenAiApi api = OpenAiApi.builder().baseUrl("http://127.0.0.1:" + gateway.port()).apiKey("sk-any")
                .webClientBuilder(WebClient.builder().clientConnector(new JdkClientHttpConnector())).build();
        model = OpenAiChatModel.builder().openAiApi(api).defaultOptions(OpenAiChatOptions.builder().model("gpt-4o-mini").build()).build();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
        if (simulator != null) simulator.close();
    }

    @Test
    void aPlainAnswer() {
        assertThat(model.call("Where is my parcel?")).isNotBlank();
    }

    @Test
    void aStreamedAnswerCompletes() {
        List<String> parts = new CopyOnWriteArrayList<>();
        Flux<ChatResponse> stream = model.stream(new Prompt("Where is my parcel?"));

        stream.doOnNext(r -> parts.add(text(r))).blockLast(Duration.ofSeconds(10));

        assertThat(String.join("", parts)).isNotBlank();
    }

    @Test
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
}
