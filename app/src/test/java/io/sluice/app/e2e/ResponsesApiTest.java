package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseStreamEvent;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.testkit.matrix.MatrixCell;
import io.sluice.testkit.simulator.Replies;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * OpenAI's Responses API on Sluice's memory, with the official openai-java SDK: a stored response is a turn of a
 * Sluice conversation, {@code previous_response_id} continues it with its history whichever model answers (a Claude
 * model here, through the simulator's Anthropic API), streams carry the SDK's event types, function calls round trip,
 * stored responses are read back, {@code store: false} keeps nothing, and what is not supported is refused by name.
 */
class ResponsesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestGateway sluice;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        sluice = TestGateway.on("postgres", List.of(
                new ModelSpec("claude-sonnet-4.5", TestGateway.ANTHROPIC, "claude-sonnet-4-5", 200_000, Encoding.O200K_BASE, Prices.FREE)));
        client = OpenAIOkHttpClient.builder().baseUrl(sluice.baseUrl()).apiKey("sk-any").maxRetries(0).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        sluice.close();
    }

    private static String text(Response response) {
        return response.output().stream().flatMap(item -> item.message().stream()).flatMap(m -> m.content().stream())
                .flatMap(c -> c.outputText().stream()).map(t -> t.text()).reduce("", String::concat);
    }

    @Test
    @MatrixCell(client = OpenAiSdkCompatibilityTest.OPENAI_JAVA, capability = "Responses API")
    void previousResponseIdContinuesAClaudeConversationAndItKeepsEveryTurn() throws Exception {
        Response first = client.responses().create(ResponseCreateParams.builder().model("claude-sonnet-4.5")
                .instructions("You are a support agent.").input("My parcel is late, can you check it?").build());
        assertThat(text(first)).isEqualTo(Replies.text(List.of("You are a support agent.", "My parcel is late, can you check it?"), null,
                Replies.encodingFor("gpt-4o")));
        assertThat(first.id()).matches("resp_[0-9a-f]{64}");
        String conversation = first.conversation().orElseThrow().id();

        Response second = client.responses().create(ResponseCreateParams.builder().model("claude-sonnet-4.5")
                .previousResponseId(first.id()).input("When will it arrive?").build());
        assertThat(second.previousResponseId()).contains(first.id());
        assertThat(second.conversation().orElseThrow().id()).isEqualTo(conversation);
        JsonNode sent = sluice.simulator.recentRequests().getLast();
        assertThat(sent.path("system").asText()).as("the first turn's instructions are the conversation's system prompt").isEqualTo("You are a support agent.");
        assertThat(sent.path("messages")).as("the first turn, then the new message").hasSize(3);
        assertThat(sent.path("messages").get(1).path("content").get(0).path("text").asText()).isEqualTo(text(first));

        JsonNode items = JSON.readTree(sluice.get("/v1/conversations/" + conversation + "/items").body()).path("data");
        assertThat(items).hasSize(5);
        assertThat(items.get(4).path("metadata").path("request_id").asText()).as("the answer names its request").startsWith("req_");

        Response readBack = client.responses().retrieve(second.id());
        assertThat(text(readBack)).isEqualTo(text(second));
        assertThat(readBack.usage().orElseThrow().inputTokens()).as("the usage billed, stored with the answer")
                .isEqualTo(second.usage().orElseThrow().inputTokens());
        assertThat(readBack.usage().orElseThrow().outputTokens()).isEqualTo(second.usage().orElseThrow().outputTokens());
        var inputs = client.responses().inputItems().list(second.id()).data();
        assertThat(inputs).hasSize(1);
        assertThat(inputs.getFirst().asResponseInputMessageItem().content().getFirst().asInputText().text()).isEqualTo("When will it arrive?");
    }

    @Test
    @MatrixCell(client = OpenAiSdkCompatibilityTest.OPENAI_JAVA, capability = "Responses API")
    void aStreamCarriesTheSdksEventsAndEndsCompleted() {
        StringBuilder text = new StringBuilder();
        Response[] completed = {null};
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(ResponseCreateParams.builder().model("gpt-4o-mini")
                .input("Please explain the refund policy step by step").build())) {
            stream.stream().forEach(event -> {
                event.outputTextDelta().ifPresent(d -> text.append(d.delta()));
                event.completed().ifPresent(c -> completed[0] = c.response());
            });
        }
        assertThat(text.toString()).isEqualTo(Replies.text(List.of("Please explain the refund policy step by step"), null, Replies.encodingFor("gpt-4o-mini")));
        assertThat(completed[0]).isNotNull();
        assertThat(text(completed[0])).isEqualTo(text.toString());
        assertThat(completed[0].usage().orElseThrow().outputTokens()).isEqualTo(Replies.count(text.toString(), Replies.encodingFor("gpt-4o-mini")));

        HttpResponse<String> raw = sluice.post("/v1/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"hello\",\"stream\":true}");
        List<String> events = raw.body().lines().filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).distinct().toList();
        assertThat(events).containsExactly("response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.completed");
    }

    @JsonClassDescription("Find a customer's order by its id")
    public static class LookupOrder {
        public String orderId;
    }

    @Test
    @MatrixCell(client = OpenAiSdkCompatibilityTest.OPENAI_JAVA, capability = "Responses API")
    void aFunctionCallRoundTripsOnTheStoredConversation() throws Exception {
        Response called = client.responses().create(ResponseCreateParams.builder().model("gpt-4o-mini").input("Where is order 42?")
                .addTool(LookupOrder.class).build());
        ResponseFunctionToolCall call = called.output().getFirst().asFunctionCall();
        assertThat(call.name()).isEqualTo("LookupOrder");
        assertThat(JSON.readTree(call.arguments()).path("orderId").isTextual()).isTrue();

        HttpResponse<String> answered = sluice.post("/v1/responses", "{\"model\":\"gpt-4o-mini\",\"previous_response_id\":\"" + called.id()
                + "\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"" + call.callId() + "\",\"output\":\"shipped yesterday\"}]}");
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        JsonNode sent = sluice.simulator.recentRequests().getLast().path("messages");
        assertThat(sent.get(1).path("tool_calls").get(0).path("id").asText()).isEqualTo(call.callId());
        assertThat(sent.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(sent.get(2).path("content").asText()).isEqualTo("shipped yesterday");

        String conversation = called.conversation().orElseThrow().id();
        String answeredId = JSON.readTree(answered.body()).path("id").asText();
        client.responses().delete(answeredId);
        assertThat(client.responses().retrieve(called.id()).output().getFirst().isFunctionCall()).as("the call's response is left whole").isTrue();
        assertThat(sluice.get("/v1/conversations/" + conversation + "/items").body()).as("and its call keeps its output")
                .contains(call.callId()).contains("shipped yesterday");

        client.responses().delete(called.id());
        String items = sluice.get("/v1/conversations/" + conversation + "/items").body();
        assertThat(items).as("the call's output, sent by the next turn, went with the call").doesNotContain(call.callId())
                .doesNotContain("shipped yesterday").doesNotContain("Where is order 42?");
    }

    @Test
    @MatrixCell(client = OpenAiSdkCompatibilityTest.OPENAI_JAVA, capability = "Responses API")
    void aDeletedResponseLeavesItsConversationAndTheTurnsAroundItStay() throws Exception {
        Response first = client.responses().create(ResponseCreateParams.builder().model("gpt-4o-mini").input("My name is Ada.").build());
        Response second = client.responses().create(ResponseCreateParams.builder().model("gpt-4o-mini").previousResponseId(first.id())
                .input("My card number is 4111 1111 1111 1111.").build());
        Response third = client.responses().create(ResponseCreateParams.builder().model("gpt-4o-mini").previousResponseId(second.id())
                .input("Where is my parcel?").build());

        String conversation = first.conversation().orElseThrow().id();
        String inputItem = client.responses().inputItems().list(third.id()).data().getFirst().asResponseInputMessageItem().id();
        assertThat(sluice.get("/v1/conversations/" + conversation + "/items/" + inputItem).body()).as("a response's input item is the conversation's")
                .contains("Where is my parcel?");
        assertThat(sluice.get("/v1/conversations/conv_" + "0".repeat(32) + "/items/" + inputItem).statusCode())
                .as("another conversation's item id").isEqualTo(400);

        HttpResponse<String> deleted = sluice.delete("/v1/responses/" + second.id());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(JSON.readTree(deleted.body()).path("deleted").asBoolean()).isTrue();
        assertThat(JSON.readTree(deleted.body()).path("object").asText()).isEqualTo("response");
        assertThatThrownBy(() -> client.responses().retrieve(second.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.responses().delete(second.id())).as("the retry that comes twice").isInstanceOf(NotFoundException.class);
        assertThat(text(client.responses().retrieve(first.id()))).isEqualTo(text(first));
        assertThat(text(client.responses().retrieve(third.id()))).isEqualTo(text(third));

        client.responses().create(ResponseCreateParams.builder().model("gpt-4o-mini").previousResponseId(third.id()).input("Thanks.").build());
        String history = sluice.simulator.recentRequests().getLast().path("messages").toString();
        assertThat(history).contains("My name is Ada.").contains("Where is my parcel?").doesNotContain("4111");
        assertThat(sluice.delete("/v1/responses/chatcmpl-1").statusCode()).isEqualTo(404);
        assertThat(sluice.delete("/v1/responses/resp_" + "0".repeat(32)).statusCode()).as("a response that was never stored").isEqualTo(404);
    }

    @Test
    void storeFalseKeepsNothing() {
        Response response = client.responses().create(ResponseCreateParams.builder().model("gpt-4o-mini").input("hello").store(false).build());
        assertThat(response.id()).matches("resp_[0-9a-f]{32}");
        assertThat(response.conversation()).isEmpty();
        assertThatThrownBy(() -> client.responses().retrieve(response.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> client.responses().retrieve("resp_" + "0".repeat(64))).isInstanceOf(NotFoundException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown parameter     | {\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"planet\":1}                                       | planet",
            "built-in tool         | {\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}]}              | tools[0].type",
            "no input              | {\"model\":\"gpt-4o-mini\"}                                                                  | input",
            "unstored previous     | {\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"previous_response_id\":\"resp_0123456789abcdef0123456789abcdef\"} | previous_response_id",
            "not a response id     | {\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"previous_response_id\":\"chatcmpl-1\"}           | previous_response_id",
            "store false and conv  | {\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"store\":false,\"conversation\":\"conv_0123456789abcdef0123456789abcdef\"} | store",
            "background            | {\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"background\":true}                               | background",
            "bad item              | {\"model\":\"gpt-4o-mini\",\"input\":[{\"type\":\"computer_call\"}]}                            | input[0].type"})
    void whatIsNotSupportedIsRefusedByName(String name, String body, String param) throws Exception {
        long before = sluice.simulator.stats().requests();
        HttpResponse<String> refused = sluice.post("/v1/responses", body);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(JSON.readTree(refused.body()).path("error").path("param").asText()).isEqualTo(param);
        assertThat(sluice.simulator.stats().requests()).isEqualTo(before);
    }
}
