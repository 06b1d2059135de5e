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

    @Test
    void sendsTheSystemInstructionModelRoleFunctionPartsAndGenerationConfig() {
        ToolCall call = new ToolCall("call_1", "lookup_order", "{\"id\":42}");
        ChatOptions options = new ChatOptions(0.2, null, 300, List.of("END"), List.of(), "\"required\"", null, null, null, null, null, Map.of());
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
}
