package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.sluice.testkit.matrix.MatrixCell;
import io.sluice.testkit.simulator.Fault;
import io.sluice.testkit.simulator.Replies;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The official OpenAI Java SDK, pointed at Sluice by base URL only. */
class OpenAiSdkCompatibilityTest extends OpenAiSdkGateway {
    static final String OPENAI_JAVA = "openai-java";

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
    @MatrixCell(client = OPENAI_JAVA, capability = "chat")
    void completesAChat() {
        ChatCompletion completion = client.chat().completions().create(params("My parcel is late, can you check it?"));

        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().getFirst().message().content()).contains(simulatorText("My parcel is late, can you check it?"));
        assertThat(completion.usage()).hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive());
        assertThat(completion.model()).isEqualTo("gpt-4o-mini");
    }

    @Test
    @MatrixCell(client = OPENAI_JAVA, capability = "stream with usage")
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

    @Test
    @MatrixCell(client = OPENAI_JAVA, capability = "tools round trip")
    void aToolCallIsAnsweredAndTheConversationGoesOn() {
        ChatCompletionCreateParams asked = ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("Where is order 42?")
                .addTool(OpenAiSdkParityTest.LookupOrder.class).toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build();
        ChatCompletion first = client.chat().completions().create(asked);
        var message = first.choices().getFirst().message();
        var call = message.toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(call.function().arguments(OpenAiSdkParityTest.LookupOrder.class).orderId).isNotBlank();

        ChatCompletion second = client.chat().completions().create(asked.toBuilder().toolChoice(ChatCompletionToolChoiceOption.Auto.AUTO)
                .addMessage(message).addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("shipped yesterday").build()).build());
        assertThat(second.choices().getFirst().message().content()).hasValueSatisfying(text -> assertThat(text).isNotBlank());
        var sent = sluice.simulator.recentRequests().getLast().path("messages");
        assertThat(sent.get(2).path("tool_call_id").asText()).isEqualTo(call.id());
    }

    @Test
    @MatrixCell(client = OPENAI_JAVA, capability = "errors by class")
    void errorsArriveAsTheSdksClasses() {
        assertThatThrownBy(() -> client.chat().completions().create(params("hi").toBuilder().temperature(5.0).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).hasValue("temperature"));
        assertThatThrownBy(() -> client.chat().completions().create(params("hi " + Fault.RATE_LIMIT.directive())))
                .isInstanceOf(RateLimitException.class);
        assertThatThrownBy(() -> client.chat().completions().create(params("hi " + Fault.MODEL_FORBIDDEN.directive())))
                .isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> client.models().retrieve("no-such-model")).isInstanceOf(NotFoundException.class);
    }

    @Test
    @MatrixCell(client = OPENAI_JAVA, capability = "cut stream raises an error")
    void aStreamCutMidAnswerRaisesAnError() {
        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                    params("tell me a long story please " + Fault.STREAM_CUT.directive()))) {
                stream.stream().forEach(chunk -> { });
            }
        }).isInstanceOf(RuntimeException.class);
    }
}
