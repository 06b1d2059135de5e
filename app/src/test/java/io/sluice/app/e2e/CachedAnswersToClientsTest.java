package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cached answers as the official SDKs read them: the OpenAI Java SDK and the Anthropic Java SDK each get a hit plain
 * and streamed, with the same text, usage and stop reason as the answer that filled the cache.
 */
class CachedAnswersToClientsTest {
    @TempDir
    Path dir;

    @Test
    void theOpenAiSdkReadsAHitPlainAndStreamed() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, "")) {
            OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(sluice.gateway.baseUrl()).apiKey(sluice.key("acme")).maxRetries(0).build();
            ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("gpt-4o-mini").temperature(0.0)
                    .addSystemMessage("You are Acme's support assistant.").addUserMessage("How long do refunds take?").build();
            ChatCompletion first = client.chat().completions().create(params);
            HttpResponseFor<ChatCompletion> second = client.chat().completions().withRawResponse().create(params);
            assertThat(second.headers().values("X-Sluice-Cache")).containsExactly("hit");
            ChatCompletion hit = second.parse();
            assertThat(hit.choices().getFirst().message().content()).isEqualTo(first.choices().getFirst().message().content());
            assertThat(hit.usage()).isEqualTo(first.usage());
            assertThat(hit.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);

            StringBuilder text = new StringBuilder();
            long[] tokens = {0};
            try (var stream = client.chat().completions().createStreaming(params.toBuilder()
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
                stream.stream().forEach((ChatCompletionChunk chunk) -> {
                    chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
                    chunk.usage().ifPresent(u -> tokens[0] = u.completionTokens());
                });
            }
            assertThat(text.toString()).isEqualTo(first.choices().getFirst().message().content().orElseThrow());
            assertThat(tokens[0]).isEqualTo(first.usage().orElseThrow().completionTokens());
            assertThat(sluice.simulator.stats().requests()).isEqualTo(1);
        }
    }

    @Test
    void theAnthropicSdkReadsAHitPlainAndStreamed() throws Exception {
        try (CachingGateway sluice = new CachingGateway(dir, "")) {
            AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(sluice.gateway.baseUrl().replaceFirst("/v1$", ""))
                    .apiKey(sluice.key("acme")).maxRetries(0).build();
            MessageCreateParams params = MessageCreateParams.builder().model("gpt-4o-mini").maxTokens(300).putAdditionalBodyProperty("temperature", com.anthropic.core.JsonValue.from(0))
                    .system("You are Acme's support assistant.").addUserMessage("Can I pay by invoice?").build();
            Message first = client.messages().create(params);
            var second = client.messages().withRawResponse().create(params);
            assertThat(second.headers().values("X-Sluice-Cache")).containsExactly("hit");
            Message hit = second.parse();
            assertThat(hit.content().getFirst().asText().text()).isEqualTo(first.content().getFirst().asText().text());
            assertThat(hit.usage().outputTokens()).isEqualTo(first.usage().outputTokens());

            MessageAccumulator accumulator = MessageAccumulator.create();
            try (var stream = client.messages().createStreaming(params)) {
                stream.stream().forEach((RawMessageStreamEvent event) -> accumulator.accumulate(event));
            }
            Message streamed = accumulator.message();
            assertThat(streamed.content().getFirst().asText().text()).isEqualTo(first.content().getFirst().asText().text());
            assertThat(streamed.stopReason()).contains(StopReason.END_TURN);
            assertThat(streamed.usage().outputTokens()).isEqualTo(first.usage().outputTokens());
            assertThat(sluice.simulator.stats().requests()).isEqualTo(1);
        }
    }
}
