package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.StructuredChatCompletion;
import io.sluice.testkit.matrix.MatrixCell;
import io.sluice.testkit.simulator.Fault;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official OpenAI Java SDK's typed features against Sluice on its built-in simulator, as `./sluice serve` runs out
 * of the box: structured output and typed tools parse into classes on every provider, several choices come back, a
 * model is retrieved by id, and an upstream's refusal keeps its code and param.
 */
class OpenAiSdkParityTest extends OpenAiSdkGateway {
    /** Public fields: the SDK derives a strict JSON Schema from them. */
    @JsonClassDescription("The status of a customer's order")
    public static class OrderStatus {
        public String orderId;
        public int itemsShipped;
        public boolean delayed;
    }

    @JsonClassDescription("Find a customer's order by its id")
    public static class LookupOrder {
        public String orderId;
        public int quantity;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o-mini", "claude-sonnet-4.5", "gemini-2.5-flash"})
    @MatrixCell(client = OpenAiSdkCompatibilityTest.OPENAI_JAVA, capability = "structured output")
    void structuredOutputParsesIntoTheClassOnEveryProvider(String model) {
        StructuredChatCompletion<OrderStatus> completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(model).addUserMessage("Where is order 42?").responseFormat(OrderStatus.class).build());

        OrderStatus status = completion.choices().getFirst().message().content().orElseThrow();
        assertThat(status.orderId).isNotBlank();
        assertThat(status.itemsShipped).isNotNegative();
    }

    @Test
    void aTypedToolsArgumentsParseIntoItsClass() {
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini").addUserMessage("Look up order 42").addTool(LookupOrder.class).build());

        ChatCompletionMessageToolCall call = completion.choices().getFirst().message().toolCalls().orElseThrow().getFirst();
        LookupOrder arguments = call.asFunction().function().arguments(LookupOrder.class);
        assertThat(arguments.orderId).isNotBlank();
        var sent = sluice.simulator.recentRequests().getLast().path("tools").get(0).path("function");
        assertThat(sent.path("strict").asBoolean()).as("strict reaches the upstream").isTrue();
    }

    @Test
    void severalChoicesComeBackAndAreBilledTogether() {
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini").addUserMessage("Give me a greeting").n(3).build());

        assertThat(completion.choices()).hasSize(3);
        assertThat(completion.choices()).extracting(c -> c.index()).containsExactly(0L, 1L, 2L);
        long oneReply = io.sluice.testkit.simulator.Replies.count(completion.choices().getFirst().message().content().orElseThrow(),
                io.sluice.testkit.simulator.Replies.encodingFor("gpt-4o-mini"));
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(3 * oneReply);
        assertThat(completion.systemFingerprint()).as("the upstream's fingerprint passes").hasValue("fp_sluice_sim");
    }

    @Test
    @MatrixCell(client = OpenAiSdkCompatibilityTest.OPENAI_JAVA, capability = "errors by class")
    void aModelIsRetrievedByIdAndAnUnknownOneIsNotFound() {
        assertThat(client.models().retrieve("claude-sonnet-4.5").ownedBy()).isEqualTo(TestGateway.ANTHROPIC);
        assertThatThrownBy(() -> client.models().retrieve("no-such-model"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> assertThat(e.code()).hasValue("model_not_found"));
    }

    @Test
    @MatrixCell(client = OpenAiSdkCompatibilityTest.OPENAI_JAVA, capability = "errors by class")
    void anUpstreamRefusalKeepsItsCodeAndParam() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini").addUserMessage("hi " + Fault.BAD_REQUEST.directive()).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.code()).hasValue("invalid_value");
                    assertThat(e.param()).hasValue("messages");
                    assertThat(e.type()).hasValue("invalid_request_error");
                });
    }

    @Test
    void theLegacyCompletionsApiIsServedByAChatModel() {
        var completion = client.completions().create(com.openai.models.completions.CompletionCreateParams.builder().model("claude-sonnet-4.5")
                .prompt("Say hello to the customer").maxTokens(50).build());
        assertThat(completion.choices().getFirst().text()).isNotBlank();
        assertThat(completion.usage().orElseThrow().completionTokens()).isPositive();
        assertThat(sluice.simulator.recentRequests().getLast().path("max_tokens").asInt()).isEqualTo(50);

        StringBuilder text = new StringBuilder();
        try (var stream = client.completions().createStreaming(com.openai.models.completions.CompletionCreateParams.builder().model("gpt-4o-mini")
                .prompt("Say hello to the customer").maxTokens(50).build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> text.append(c.text())));
        }
        assertThat(text.toString()).isNotBlank();
        assertThatThrownBy(() -> client.completions().create(com.openai.models.completions.CompletionCreateParams.builder().model("gpt-4o-mini")
                .prompt("hi").echo(true).build())).isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.param()).hasValue("echo"));
    }
}
