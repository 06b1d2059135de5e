package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.domain.ContextStrategy;
import io.sluice.engine.memory.ContextDefaults;
import java.util.Map;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A long conversation on a model with a small window: what goes upstream always fits, and the newest turns are in it. */
class ContextStrategiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A 600-token window, so a few dozen turns overflow it. */
    private static final int WINDOW = 600;
    private static final ModelSpec SMALL = new ModelSpec("small-model", TestGateway.PROVIDER, "gpt-4o-mini", WINDOW, Encoding.O200K_BASE, Prices.FREE);
    private static final int MAX_TOKENS = 100;

    private static String turn(String text) {
        return "{\"model\":\"small-model\",\"max_tokens\":" + MAX_TOKENS + ",\"messages\":[{\"role\":\"user\",\"content\":" + TestGateway.quote(text) + "}]}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void aLongConversationAlwaysFitsAndKeepsItsNewestTurnsVerbatim(String storage) throws Exception {
        try (TestGateway sluice = TestGateway.on(storage, List.of(SMALL))) {
            HttpResponse<String> first = sluice.post("/v1/chat/completions", """
                    {"model":"small-model","max_tokens":100,"messages":[
                      {"role":"system","content":"You are the support agent of Acme Parcels."},
                      {"role":"user","content":"Hello, I have a question about order 1."}]}""", "X-Conversation-Id", "new");
            String id = first.headers().firstValue("X-Conversation-Id").orElseThrow();
            List<String> questions = new ArrayList<>();
            for (int i = 2; i <= 40; i++) {
                String question = "Turn " + i + ": where is parcel number " + (1000 + i) + " now, and when will it arrive?";
                questions.add(question);
                HttpResponse<String> response = sluice.post("/v1/chat/completions", turn(question), "X-Conversation-Id", id);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

                JsonNode upstream = sluice.simulator.recentRequests().getLast();
                int promptTokens = JSON.readTree(response.body()).path("usage").path("prompt_tokens").asInt();
                assertThat(promptTokens).as("turn %d prompt, counted by the simulator", i).isLessThanOrEqualTo(WINDOW - MAX_TOKENS);
                JsonNode messages = upstream.path("messages");
                assertThat(messages.get(0).path("content").asText()).isEqualTo("You are the support agent of Acme Parcels.");
                assertThat(messages.get(messages.size() - 1).path("content").asText()).isEqualTo(question);
                if (i > 2) {
                    // the previous turn is there verbatim, right before the new question
                    assertThat(messages.get(messages.size() - 3).path("content").asText()).isEqualTo(questions.get(questions.size() - 2));
                }
            }
            int sent = sluice.simulator.recentRequests().getLast().path("messages").size();
            assertThat(sent).as("history was trimmed").isLessThan(2 * 40);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void strategiesCanBeChosenPerCall(String storage) throws Exception {
        try (TestGateway sluice = TestGateway.on(storage, List.of(SMALL))) {
            HttpResponse<String> first = sluice.post("/v1/chat/completions", turn("Turn 1: my parcel is late."), "X-Conversation-Id", "new");
            String id = first.headers().firstValue("X-Conversation-Id").orElseThrow();
            for (int i = 2; i <= 30; i++) sluice.post("/v1/chat/completions", turn("Turn " + i + ": any news about my parcel today?"), "X-Conversation-Id", id);

            HttpResponse<String> window = sluice.post("/v1/chat/completions", turn("And now?"), "X-Conversation-Id", id,
                    "X-Context-Strategy", "sliding_window(2)");
            assertThat(window.statusCode()).isEqualTo(200);
            JsonNode messages = sluice.simulator.recentRequests().getLast().path("messages");
            assertThat(messages).hasSize(3);
            assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
            assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");

            long before = sluice.simulator.stats().requests();
            HttpResponse<String> full = sluice.post("/v1/chat/completions", turn("Everything please"), "X-Conversation-Id", id,
                    "X-Context-Strategy", "full");
            assertThat(full.statusCode()).isEqualTo(400);
            JsonNode error = JSON.readTree(full.body()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("context_length_exceeded");
            assertThat(error.path("param").asText()).isEqualTo("messages");
            assertThat(sluice.simulator.stats().requests()).as("nothing was sent upstream").isEqualTo(before);

            HttpResponse<String> bad = sluice.post("/v1/chat/completions", turn("hm"), "X-Conversation-Id", id, "X-Context-Strategy", "all_of_it");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(bad.body()).path("error").path("param").asText()).isEqualTo("X-Context-Strategy");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void aNewMessageTooLargeForTheWindowIs400AndNothingIsStored(String storage) throws Exception {
        try (TestGateway sluice = TestGateway.on(storage, List.of(SMALL))) {
            HttpResponse<String> response = sluice.post("/v1/chat/completions", turn("parcel ".repeat(800)), "X-Conversation-Id", "new");

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).path("error").path("code").asText()).isEqualTo("context_length_exceeded");
            assertThat(response.headers().firstValue("X-Conversation-Id")).isEmpty();
            assertThat(sluice.simulator.stats().requests()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void aToolResultTravelsWithTheStoredCallItAnswers(String storage) throws Exception {
        try (TestGateway sluice = TestGateway.on(storage, List.of(SMALL))) {
            HttpResponse<String> call = sluice.post("/v1/chat/completions", """
                    {"model":"small-model","max_tokens":100,
                     "tools":[{"type":"function","function":{"name":"track_parcel","parameters":{"type":"object"}}}],
                     "messages":[{"role":"user","content":"Where is parcel 77?"}]}""", "X-Conversation-Id", "new");
            String id = call.headers().firstValue("X-Conversation-Id").orElseThrow();
            JsonNode toolCall = JSON.readTree(call.body()).path("choices").path(0).path("message").path("tool_calls").path(0);
            String callId = toolCall.path("id").asText();
            assertThat(callId).isNotBlank();

            HttpResponse<String> answer = sluice.post("/v1/chat/completions", "{\"model\":\"small-model\",\"max_tokens\":100,"
                    + "\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"" + callId + "\",\"content\":\"In Hanoi, arriving today\"}]}",
                    "X-Conversation-Id", id, "X-Context-Strategy", "sliding_window(1)");

            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode messages = sluice.simulator.recentRequests().getLast().path("messages");
            assertThat(messages).hasSize(2);
            assertThat(messages.get(0).path("tool_calls").path(0).path("id").asText()).isEqualTo(callId);
            assertThat(messages.get(1).path("tool_call_id").asText()).isEqualTo(callId);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void aCallThatDoesNotFitItsModelGoesToTheLargerModelConfiguredForIt(String storage) throws Exception {
        ModelSpec large = new ModelSpec("large-model", TestGateway.PROVIDER, "gpt-4.1", 100_000, Encoding.O200K_BASE, Prices.FREE);
        ContextDefaults defaults = new ContextDefaults(ContextStrategy.TOKEN_BUDGET, 1024, 200_000,
                Map.of("small-model", ContextStrategy.FULL), Map.of("small-model", "large-model"));
        try (TestGateway sluice = TestGateway.on(storage, List.of(SMALL, large), defaults)) {
            String id = sluice.post("/v1/chat/completions", turn("Turn 1: my parcel is late."), "X-Conversation-Id", "new")
                    .headers().firstValue("X-Conversation-Id").orElseThrow();
            for (int i = 2; i <= 25; i++) {
                HttpResponse<String> response = sluice.post("/v1/chat/completions", turn("Turn " + i + ": any news about my parcel today?"),
                        "X-Conversation-Id", id);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            }
            // small-model's own strategy is full: once the history passes its window, the call is served by large-model
            JsonNode last = sluice.simulator.recentRequests().getLast();
            assertThat(last.path("model").asText()).isEqualTo("gpt-4.1");
            assertThat(last.path("messages").size()).as("all of the history, as full promises").isEqualTo(2 * 25 - 1);
            JsonNode first = sluice.simulator.recentRequests().getFirst();
            assertThat(first.path("model").asText()).isEqualTo("gpt-4o-mini");
        }
    }
}
