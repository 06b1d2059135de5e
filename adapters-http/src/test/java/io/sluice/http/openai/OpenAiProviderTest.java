package io.sluice.http.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatOptions;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ToolDefinition;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.ProviderEnvironment;
import io.sluice.ports.out.ProviderSettings;
import io.sluice.testkit.contract.LlmProviderContract;
import io.sluice.testkit.simulator.Simulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible adapter: the provider contract against the simulator over real HTTP, and OpenAI's own fields. */
class OpenAiProviderTest extends LlmProviderContract {
    @Override
    protected LlmProvider create(Simulator simulator, Duration timeout) {
        return new OpenAiProviderFactory().create(new ProviderSettings("sim", "openai", simulator.baseUrl(), "sk-test", timeout, 50, Map.of()),
                ProviderEnvironment.EMPTY);
    }

    @Override
    protected boolean supportsEmbeddings() {
        return true;
    }

    @Test
    void asksForTheUsageOfStreamsAndSendsTheMessagesAsTheyAre() {
        collect(provider.stream(ask("Where is my order?")));

        var sent = simulator.recentRequests().getLast();
        assertThat(sent.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(sent.path("messages").get(1).path("content").asText()).isEqualTo("Where is my order?");
    }

    @Test
    void sendsToolParametersAsJson() {
        ChatOptions tools = new ChatOptions(null, null, null, null, List.of(new ToolDefinition("lookup_order", "Find an order", "{\"type\":\"object\"}")),
                "\"auto\"", null, null, null, null, null, Map.of(), null, false);
        provider.complete(new ChatRequest("gpt-4o-mini", List.of(ChatMessage.user("order 42?")), tools)).toCompletableFuture().join();

        assertThat(simulator.recentRequests().getLast().path("tools").get(0).path("function").path("parameters").path("type").asText())
                .isEqualTo("object");
    }
}
