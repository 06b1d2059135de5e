package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.sluice.testkit.simulator.Replies;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The official OpenAI Java SDK, pointed at Sluice by base URL only. */
class OpenAiSdkCompatibilityTest extends OpenAiSdkGateway {
    private static ChatCompletionCreateParams params(String text) {
        return params("gpt-4o-mini", text);
    }

    private static ChatCompletionCreateParams params(String model, String text) {
        return ChatCompletionCreateParams.builder().model(model)
                .addSystemMessage("You are a support agent.").addUserMessage(text).build();
    }

    private static String simulatorText(String text) {
        return Replies.text(List.of("You are a support agent.", text), null, Replies.encodingFor("gpt-4o-mini"));
    }

    @Test
    void completesAChat() {
        ChatCompletion completion = client.chat().completions().create(params("My parcel is late, can you check it?"));

        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().getFirst().message().content()).contains(simulatorText("My parcel is late, can you check it?"));
        assertThat(completion.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive());
        assertThat(completion.model()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void streamsAChatWhoseTextEqualsTheSimulators() {
        ChatCompletionCreateParams params = params("Please explain the refund policy step by step").toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        StringBuilder text = new StringBuilder();
        long[] completionTokens = {0};
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
                chunk.usage().ifPresent(u -> completionTokens[0] = u.completionTokens());
            });
        }

        assertThat(text.toString()).isEqualTo(simulatorText("Please explain the refund policy step by step"));
        assertThat(completionTokens[0]).isEqualTo(Replies.count(text.toString(), Replies.encodingFor("gpt-4o-mini")));
    }

    /** The acceptance: the OpenAI SDK talks to a (simulated) Claude and Gemini behind Sluice, both ways translated. */
    @ParameterizedTest
    @ValueSource(strings = {"claude-sonnet-4.5", "gemini-2.5-flash"})
    void talksToClaudeAndGeminiModelsPlainAndStreamedWithUsage(String model) {
        sluice.simulator.reset();
        ChatCompletion completion = client.chat().completions().create(params(model, "My parcel is late, can you check it?"));
        assertThat(completion.choices().getFirst().message().content()).contains(simulatorText("My parcel is late, can you check it?"));
        assertThat(completion.choices().getFirst().finishReason().asString()).isEqualTo("stop");
        assertThat(completion.usage()).hasValueSatisfying(u -> {
            assertThat(u.promptTokens()).isEqualTo(sluice.simulator.stats().promptTokens());
            assertThat(u.completionTokens()).isEqualTo(sluice.simulator.stats().completionTokens());
        });
        var sent = sluice.simulator.recentRequests().getLast();
        assertThat(sent.has("messages") ? sent.path("system").asText() : sent.path("systemInstruction").path("parts").get(0).path("text").asText())
                .as("the system prompt, in the upstream's own field").isEqualTo("You are a support agent.");

        ChatCompletionCreateParams streamed = params(model, "Please explain the refund policy step by step").toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        StringBuilder text = new StringBuilder();
        long[] usage = {0, 0};
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(streamed)) {
            stream.stream().forEach(chunk -> {
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
                chunk.usage().ifPresent(u -> {
                    usage[0] = u.promptTokens();
                    usage[1] = u.completionTokens();
                });
            });
        }
        assertThat(text.toString()).isEqualTo(simulatorText("Please explain the refund policy step by step"));
        assertThat(usage[1]).isEqualTo(Replies.count(text.toString(), Replies.encodingFor("gpt-4o-mini")));
        assertThat(usage[0]).isPositive();
    }
}
