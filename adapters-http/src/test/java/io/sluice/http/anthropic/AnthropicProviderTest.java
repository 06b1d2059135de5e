package io.sluice.http.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.domain.ChatMessage;
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

/** The Anthropic Messages adapter: the provider contract against the simulator's Anthropic API, and the translation itself. */
class AnthropicProviderTest extends LlmProviderContract {
    @Override
    protected LlmProvider create(Simulator simulator, Duration timeout) {
        return new AnthropicProviderFactory().create(new ProviderSettings("claude", "anthropic", simulator.baseUrl(), "sk-ant-test", timeout, 50,
                Map.of()), ProviderEnvironment.EMPTY);
    }

    @Override
    protected String model() {
        return "claude-sonnet-4-5";
    }

    @Override
    protected int overloadedStatus() {
        return 529;
    }

    @Test
    void extractsTheSystemPromptMergesRolesAndSendsToolTurnsAsBlocks() {
        ToolCall call = new ToolCall("toolu_1", "lookup_order", "{\"id\":42}");
        provider.complete(new ChatRequest(model(), List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hi."), ChatMessage.user("Order 42?"),
                ChatMessage.assistant("Let me look.", List.of(call)), ChatMessage.toolResult("toolu_1", "shipped"),
                ChatMessage.system("Answer in English.")), null)).toCompletableFuture().join();

        JsonNode sent = simulator.recentRequests().getLast();
        assertThat(sent.path("system").asText()).isEqualTo("Be brief.\n\nAnswer in English.");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(4096);
        JsonNode messages = sent.path("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0).path("content")).hasSize(2);
        assertThat(messages.get(1).path("content").get(1).path("type").asText()).isEqualTo("tool_use");
        assertThat(messages.get(1).path("content").get(1).path("input").path("id").asInt()).isEqualTo(42);
        assertThat(messages.get(2).path("role").asText()).isEqualTo("user");
        assertThat(messages.get(2).path("content").get(0).path("tool_use_id").asText()).isEqualTo("toolu_1");
    }

    @Test
    void aContextThatStartsWithTheAssistantGetsAUserTurnBeforeIt() {
        var response = provider.complete(new ChatRequest(model(), List.of(ChatMessage.system("Be brief."),
                ChatMessage.assistant("Your order shipped yesterday."), ChatMessage.user("When will it arrive?")), null)).toCompletableFuture().join();

        assertThat(response.message().content()).isNotBlank();
        JsonNode messages = simulator.recentRequests().getLast().path("messages");
        assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
        assertThat(messages.get(0).path("content").get(0).path("text").asText()).isEqualTo(AnthropicJson.EARLIER_OMITTED);
        assertThat(messages.get(1).path("role").asText()).isEqualTo("assistant");
    }

    @Test
    void toolArgumentsThatAreNotJsonAreTheCallersErrorAndNothingIsSent() {
        ChatRequest request = new ChatRequest(model(), List.of(ChatMessage.user("Order 42?"),
                ChatMessage.assistant(null, List.of(new ToolCall("toolu_9", "lookup_order", "id=42"))), ChatMessage.toolResult("toolu_9", "x")), null);

        assertThat(failure(request)).isInstanceOf(io.sluice.domain.error.InvalidRequestException.class).hasMessageContaining("JSON");
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        provider.stream(request).subscribe(subscriber(new java.util.ArrayList<>(), done));
        assertThat(done).failsWithin(java.time.Duration.ofSeconds(2)).withThrowableThat()
                .withCauseInstanceOf(io.sluice.domain.error.InvalidRequestException.class);
        assertThat(simulator.stats().requests()).isZero();
    }

    @Test
    void usageCountsCacheReadsAndWritesIntoThePrompt() {
        var usage = AnthropicJson.usage(simulatorJson("{\"input_tokens\":10,\"cache_read_input_tokens\":100,\"cache_creation_input_tokens\":30,"
                + "\"output_tokens\":5}"), 0);
        assertThat(usage.promptTokens()).isEqualTo(140);
        assertThat(usage.cachedPromptTokens()).isEqualTo(100);
        assertThat(usage.cacheWriteTokens()).isEqualTo(30);
        assertThat(usage.completionTokens()).isEqualTo(5);
    }

    private static JsonNode simulatorJson(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String ORDER_SCHEMA = "{\"type\":\"object\",\"properties\":{\"order_id\":{\"type\":\"string\"},"
            + "\"quantity\":{\"type\":\"integer\",\"minimum\":1}},\"required\":[\"order_id\",\"quantity\"],\"additionalProperties\":false}";

    private ChatRequest ask(io.sluice.domain.ChatOptions options) {
        return new ChatRequest(model(), List.of(ChatMessage.user("Order 42, two of them")), options);
    }

    @Test
    void whatTheMessagesApiCannotDoIsRefusedNamingTheParameterAndTheProviderBeforeAnythingIsSent() {
        var custom = new io.sluice.domain.ToolDefinition("custom", "sql", null, null, null, null);
        assertThat(failure(ask(io.sluice.domain.ChatOptions.builder().n(2).build())))
                .isInstanceOfSatisfying(io.sluice.domain.error.UnsupportedFeatureException.class, e -> assertThat(e.param()).isEqualTo("n"))
                .hasMessageContaining("'anthropic'");
        assertThat(failure(ask(io.sluice.domain.ChatOptions.builder().tools(List.of(custom)).build())))
                .isInstanceOfSatisfying(io.sluice.domain.error.UnsupportedFeatureException.class, e -> assertThat(e.param()).isEqualTo("tools[0].type"));
        assertThat(failure(ask(io.sluice.domain.ChatOptions.builder().responseFormatJson("{\"type\":\"json_object\"}").build())))
                .isInstanceOfSatisfying(io.sluice.domain.error.UnsupportedFeatureException.class, e -> assertThat(e.param()).isEqualTo("response_format.type"));
        assertThat(simulator.stats().requests()).isZero();
    }

    @Test
    void allowedToolsStrictSchemasAndStructuredOutputAreTranslated() throws Exception {
        var lookup = new io.sluice.domain.ToolDefinition("function", "lookup_order", null, ORDER_SCHEMA, true, null);
        var refund = new io.sluice.domain.ToolDefinition("refund", null, "{\"type\":\"object\"}");
        String allowed = "{\"type\":\"allowed_tools\",\"allowed_tools\":{\"mode\":\"required\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup_order\"}}]}}";
        var call = provider.complete(ask(io.sluice.domain.ChatOptions.builder().tools(List.of(lookup, refund)).toolChoiceJson(allowed).build()))
                .toCompletableFuture().join();

        JsonNode sent = simulator.recentRequests().getLast();
        assertThat(sent.path("tools")).as("only the allowed tool").hasSize(1);
        assertThat(sent.path("tools").get(0).path("strict").asBoolean()).isTrue();
        assertThat(sent.path("tool_choice").path("type").asText()).isEqualTo("any");
        JsonNode arguments = new com.fasterxml.jackson.databind.ObjectMapper().readTree(call.message().toolCalls().getFirst().argumentsJson());
        assertThat(arguments.path("quantity").asInt()).as("arguments built from the tool's schema").isGreaterThanOrEqualTo(1);
        assertThat(arguments.path("order_id").isTextual()).isTrue();

        String format = "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"order\",\"strict\":true,\"schema\":" + ORDER_SCHEMA + "}}";
        var answer = provider.complete(ask(io.sluice.domain.ChatOptions.builder().responseFormatJson(format).build())).toCompletableFuture().join();
        assertThat(simulator.recentRequests().getLast().path("output_config").path("format").path("schema").path("required")).hasSize(2);
        JsonNode structured = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.message().content());
        assertThat(structured.path("quantity").asInt()).isGreaterThanOrEqualTo(1);
    }
}
