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
}
