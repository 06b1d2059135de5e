package io.sluice.http.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatOptions;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ToolCall;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.ProviderEnvironment;
import io.sluice.ports.out.ProviderSettings;
import io.sluice.testkit.contract.LlmProviderContract;
import io.sluice.testkit.simulator.Simulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Gemini adapter: the provider contract against the simulator's Gemini API, and the translation itself. */
class GeminiProviderTest extends LlmProviderContract {
    @Override
    protected LlmProvider create(Simulator simulator, Duration timeout) {
        return new GeminiProviderFactory().create(new ProviderSettings("gemini", "gemini", simulator.geminiBaseUrl(), "g-key", timeout, 50, Map.of()),
                ProviderEnvironment.EMPTY);
    }

    @Override
    protected String model() {
        return "gemini-2.5-flash";
    }

    @Override
    protected boolean supportsEmbeddings() {
        return true;
    }

    @Test
    void embeddingsAreOneBatchEmbedContentsCallAndWhatGeminiCannotTakeIsRefusedBeforeItIsSent() {
        var answer = provider.embeddings(new io.sluice.domain.EmbeddingRequest("gemini-embedding-001", List.of("refunds", "parcels"), null, 8, null, null,
                null), Duration.ofSeconds(5)).toCompletableFuture().join();
        assertThat(answer.vectors()).hasSize(2).allSatisfy(v -> assertThat(v).hasSize(8));
        assertThat(answer.usage().promptTokens()).as("Gemini reports none").isZero();
        JsonNode sent = simulator.recentRequests().getLast();
        assertThat(sent.path("requests").get(1).path("content").path("parts").get(0).path("text").asText()).isEqualTo("parcels");

        List<String> many = java.util.stream.IntStream.range(0, 250).mapToObj(i -> "question " + i).toList();
        long calls = simulator.stats().requests();
        var joined = provider.embeddings(new io.sluice.domain.EmbeddingRequest("gemini-embedding-001", many, null, 8, null, null, null),
                Duration.ofSeconds(5)).toCompletableFuture().join();
        assertThat(simulator.stats().requests() - calls).as("Gemini takes 100 a call").isEqualTo(3);
        assertThat(joined.vectors()).hasSize(250);
        var last = provider.embeddings(new io.sluice.domain.EmbeddingRequest("gemini-embedding-001", List.of("question 249"), null, 8, null, null, null),
                Duration.ofSeconds(5)).toCompletableFuture().join();
        assertThat(joined.vectors().get(249)).as("in input order").containsExactly(last.vectors().getFirst());

        long before = simulator.stats().requests();
        var tokens = new io.sluice.domain.EmbeddingRequest("gemini-embedding-001", null, List.of(List.of(1, 2)), null, null, null, null);
        assertThat(provider.embeddings(tokens, Duration.ofSeconds(5)).toCompletableFuture()).failsWithin(Duration.ofSeconds(5))
                .withThrowableThat().havingRootCause().isInstanceOfSatisfying(io.sluice.domain.error.UnsupportedFeatureException.class,
                        e -> assertThat(e.param()).isEqualTo("input"));
        var extra = new io.sluice.domain.EmbeddingRequest("gemini-embedding-001", List.of("a"), null, null, null, null, Map.of("planet", "1"));
        assertThat(provider.embeddings(extra, Duration.ofSeconds(5)).toCompletableFuture()).failsWithin(Duration.ofSeconds(5))
                .withThrowableThat().havingRootCause().isInstanceOfSatisfying(io.sluice.domain.error.UnsupportedFeatureException.class,
                        e -> assertThat(e.param()).isEqualTo("planet"));
        assertThat(simulator.stats().requests()).as("nothing sent").isEqualTo(before);
    }

    @Test
    void sendsTheSystemInstructionModelRoleFunctionPartsAndGenerationConfig() {
        ToolCall call = new ToolCall("call_1", "lookup_order", "{\"id\":42}");
        ChatOptions options = new ChatOptions(0.2, null, 300, List.of("END"), List.of(), "\"required\"", null, null, null, null, null, Map.of(), null, false);
        provider.complete(new ChatRequest(model(), List.of(ChatMessage.system("Be brief."), ChatMessage.user("Order 42?"),
                ChatMessage.assistant(null, List.of(call)), ChatMessage.toolResult("call_1", "shipped")), options)).toCompletableFuture().join();

        JsonNode sent = simulator.recentRequests().getLast();
        assertThat(sent.path("systemInstruction").path("parts").get(0).path("text").asText()).isEqualTo("Be brief.");
        JsonNode contents = sent.path("contents");
        assertThat(contents.get(1).path("role").asText()).isEqualTo("model");
        assertThat(contents.get(1).path("parts").get(0).path("functionCall").path("args").path("id").asInt()).isEqualTo(42);
        JsonNode response = contents.get(2).path("parts").get(0).path("functionResponse");
        assertThat(response.path("name").asText()).as("matched to its call by name").isEqualTo("lookup_order");
        assertThat(response.path("response").path("content").asText()).isEqualTo("shipped");
        assertThat(sent.path("generationConfig").path("maxOutputTokens").asInt()).isEqualTo(300);
        assertThat(sent.path("generationConfig").path("stopSequences").get(0).asText()).isEqualTo("END");
        assertThat(sent.path("toolConfig").path("functionCallingConfig").path("mode").asText()).isEqualTo("ANY");
    }

    @Test
    void severalChoicesAndStrictSchemasAreRefusedNamingTheProviderAndAJsonSchemaBecomesJsonMode() throws Exception {
        ChatRequest twoChoices = new ChatRequest(model(), List.of(ChatMessage.user("Hi")), ChatOptions.builder().n(2).build());
        assertThat(failure(twoChoices)).isInstanceOfSatisfying(io.sluice.domain.error.UnsupportedFeatureException.class,
                e -> assertThat(e.param()).isEqualTo("n")).hasMessageContaining("'gemini'");
        var strict = new io.sluice.domain.ToolDefinition("function", "lookup_order", null, "{\"type\":\"object\"}", true, null);
        ChatRequest strictTool = new ChatRequest(model(), List.of(ChatMessage.user("Hi")), ChatOptions.builder().tools(List.of(strict)).build());
        assertThat(failure(strictTool)).isInstanceOfSatisfying(io.sluice.domain.error.UnsupportedFeatureException.class,
                e -> assertThat(e.param()).isEqualTo("tools[0].function.strict"));
        assertThat(simulator.stats().requests()).isZero();

        String format = "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"reply\",\"schema\":{\"type\":\"object\","
                + "\"properties\":{\"mood\":{\"type\":\"string\",\"enum\":[\"calm\",\"angry\"]}},\"required\":[\"mood\"]}}}";
        var answer = provider.complete(new ChatRequest(model(), List.of(ChatMessage.user("Hi")), ChatOptions.builder().responseFormatJson(format).build()))
                .toCompletableFuture().join();
        JsonNode generation = simulator.recentRequests().getLast().path("generationConfig");
        assertThat(generation.path("responseMimeType").asText()).isEqualTo("application/json");
        assertThat(generation.path("responseJsonSchema").path("required").get(0).asText()).isEqualTo("mood");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.message().content()).path("mood").asText()).isEqualTo("calm");
    }
}
