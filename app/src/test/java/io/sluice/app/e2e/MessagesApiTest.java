package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.core.JsonValue;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.StructuredMessage;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.messages.ToolChoiceAuto;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.testkit.matrix.MatrixCell;
import io.sluice.testkit.simulator.Fault;
import io.sluice.testkit.simulator.Replies;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Anthropic's Messages API inbound, with the official Anthropic Java SDK pointed at the gateway and a gateway key sent
 * as {@code x-api-key}: any configured model answers (a GPT model through the simulator's OpenAI API, a Claude model
 * through its Anthropic API), plain and streamed in Anthropic's event sequence, tools round trip, images pass, tokens
 * are counted, stored conversations keep every turn, and every error is Anthropic's shape.
 */
class MessagesApiTest {
    private static final String ANTHROPIC_JAVA = "Anthropic Java SDK";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin-key-for-messages-tests-3";
    private static TestGateway sluice;
    private static String key;
    private static AnthropicClient client;

    @BeforeAll
    static void start() throws Exception {
        sluice = TestGateway.onPostgresWithKeys(ADMIN, List.of(
                new ModelSpec("gpt-4o-mini", TestGateway.PROVIDER, "gpt-4o-mini", 128_000, Encoding.O200K_BASE, Prices.FREE),
                new ModelSpec("claude-sonnet-4.5", TestGateway.ANTHROPIC, "claude-sonnet-4-5", 200_000, Encoding.O200K_BASE, Prices.FREE),
                new ModelSpec("gemini-2.5-flash", TestGateway.GEMINI, "gemini-2.5-flash", 1_000_000, Encoding.O200K_BASE, Prices.FREE)));
        HttpResponse<String> created = sluice.post("/admin/keys", "{\"owner\":\"acme\"}", "Authorization", "Bearer " + ADMIN);
        key = JSON.readTree(created.body()).path("key").asText();
        client = AnthropicOkHttpClient.builder().baseUrl(root()).apiKey(key).maxRetries(0).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        sluice.close();
    }

    /** The Anthropic SDK adds {@code /v1/messages} itself. */
    private static String root() {
        return "http://127.0.0.1:" + sluice.gateway.port();
    }

    private static HttpResponse<String> post(String path, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "x-api-key";
        all[1] = key;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return sluice.post(path, body, all);
    }

    private static String simulatorText(String text) {
        return Replies.text(List.of(text), null, Replies.encodingFor("gpt-4o-mini"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o-mini", "claude-sonnet-4.5"})
    @MatrixCell(client = ANTHROPIC_JAVA, capability = "chat")
    void anyModelAnswersTheSdkPlain(String model) {
        Message message = client.messages().create(MessageCreateParams.builder().model(model).maxTokens(300)
                .addUserMessage("My parcel is late, can you check it?").build());

        assertThat(message.content().getFirst().asText().text()).isEqualTo(simulatorText("My parcel is late, can you check it?"));
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().outputTokens()).isPositive();
        assertThat(message.usage().inputTokens()).isPositive();
        assertThat(message.id()).startsWith("msg_");
    }

    @Test
    @MatrixCell(client = ANTHROPIC_JAVA, capability = "stream with usage")
    void theSdkStreamsAGptModelsAnswerAndTheConversationKeepsEveryTurn() throws Exception {
        String conversation = JSON.readTree(post("/v1/conversations", "{}").body()).path("id").asText();
        for (String text : List.of("Please explain the refund policy step by step", "And for damaged parcels?")) {
            MessageAccumulator accumulator = MessageAccumulator.create();
            try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(MessageCreateParams.builder().model("gpt-4o-mini")
                    .maxTokens(500).addUserMessage(text).putAdditionalHeader("X-Conversation-Id", conversation).build())) {
                stream.stream().forEach(accumulator::accumulate);
            }
            Message message = accumulator.message();
            String answer = message.content().getFirst().asText().text();
            assertThat(answer).isNotBlank();
            assertThat(message.stopReason()).contains(StopReason.END_TURN);
            assertThat(message.usage().outputTokens()).isEqualTo(Replies.count(answer, Replies.encodingFor("gpt-4o-mini")));
        }
        JsonNode items = JSON.readTree(sluice.get("/v1/conversations/" + conversation + "/items", "x-api-key", key).body()).path("data");
        assertThat(items).hasSize(4);
        assertThat(items.get(2).path("content").get(0).path("text").asText()).isEqualTo("And for damaged parcels?");
        assertThat(sluice.simulator.recentRequests().getLast().path("messages")).as("the second turn was sent with the first").hasSize(3);
    }

    @Test
    void aStreamHasAnthropicsEventSequence() {
        HttpResponse<String> streamed = post("/v1/messages", "{\"model\":\"gpt-4o-mini\",\"max_tokens\":100,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
        List<String> events = streamed.body().lines().filter(l -> l.startsWith("event: ")).map(l -> l.substring(7)).distinct().toList();

        assertThat(events).containsExactly("message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta",
                "message_stop");
        assertThat(streamed.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    }

    @Test
    void toolsRoundTripThroughAGptModel() throws Exception {
        String tools = "\"tools\":[{\"name\":\"lookup_order\",\"description\":\"Find an order\",\"input_schema\":{\"type\":\"object\","
                + "\"properties\":{\"order_id\":{\"type\":\"string\"}},\"required\":[\"order_id\"]}}],\"tool_choice\":{\"type\":\"any\"}";
        JsonNode first = JSON.readTree(post("/v1/messages", "{\"model\":\"gpt-4o-mini\",\"max_tokens\":100," + tools
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Where is order 42?\"}]}").body());
        assertThat(first.path("stop_reason").asText()).isEqualTo("tool_use");
        JsonNode use = first.path("content").get(0);
        assertThat(use.path("type").asText()).isEqualTo("tool_use");
        assertThat(use.path("input").path("order_id").isTextual()).isTrue();
        assertThat(sluice.simulator.recentRequests().getLast().path("tool_choice").asText()).isEqualTo("required");

        String followUp = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":100," + tools + ",\"messages\":[{\"role\":\"user\",\"content\":\"Where is order 42?\"},"
                + "{\"role\":\"assistant\",\"content\":[" + use + "]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\""
                + use.path("id").asText() + "\",\"content\":\"shipped yesterday\"}]}]}";
        JsonNode answer = JSON.readTree(post("/v1/messages", followUp.replace("\"tool_choice\":{\"type\":\"any\"}", "\"tool_choice\":{\"type\":\"auto\"}")).body());
        assertThat(answer.path("content").get(0).path("type").asText()).as(answer.toString()).isEqualTo("text");
        JsonNode sent = sluice.simulator.recentRequests().getLast().path("messages");
        assertThat(sent.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(sent.get(2).path("content").asText()).isEqualTo("shipped yesterday");
    }

    @Test
    void anImageReachesAGeminiModel() throws Exception {
        String png = "iVBORw0KGgoAAAANSUhEUgAACAAAABAACAIAAABp9JbO";
        HttpResponse<String> answered = post("/v1/messages", "{\"model\":\"gemini-2.5-flash\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"" + png + "\"}},"
                + "{\"type\":\"text\",\"text\":\"What is in this screenshot?\"}]}]}");

        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        JsonNode inline = sluice.simulator.recentRequests().getLast().path("contents").get(0).path("parts").get(0).path("inlineData");
        assertThat(inline.path("mimeType").asText()).isEqualTo("image/png");
        assertThat(inline.path("data").asText()).isEqualTo(png);
    }

    @Test
    void structuredOutputFillsTheSchemaWhicheverModelAnswers() throws Exception {
        String schema = "{\"type\":\"object\",\"properties\":{\"order_id\":{\"type\":\"string\"},\"items_shipped\":{\"type\":\"integer\"}},"
                + "\"required\":[\"order_id\",\"items_shipped\"],\"additionalProperties\":false}";
        for (String model : List.of("gpt-4o-mini", "claude-sonnet-4.5")) {
            JsonNode answer = JSON.readTree(post("/v1/messages", "{\"model\":\"" + model + "\",\"max_tokens\":100,\"output_format\":{\"type\":\"json_schema\","
                    + "\"schema\":" + schema + "},\"messages\":[{\"role\":\"user\",\"content\":\"Status of order 42?\"}]}").body());
            JsonNode order = JSON.readTree(answer.path("content").get(0).path("text").asText());
            assertThat(order.path("order_id").isTextual()).as("%s: %s", model, answer).isTrue();
            assertThat(order.path("items_shipped").isInt()).isTrue();
        }
        HttpResponse<String> bad = post("/v1/messages", "{\"model\":\"gpt-4o-mini\",\"max_tokens\":10,\"output_format\":{\"type\":\"xml\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path("error").path("message").asText()).startsWith("output_format");
    }

    @Test
    @MatrixCell(client = ANTHROPIC_JAVA, capability = "count tokens")
    void tokensAreCountedWithoutACall() {
        long before = sluice.simulator.stats().requests();
        long tokens = client.messages().countTokens(MessageCountTokensParams.builder().model("claude-sonnet-4.5")
                .addUserMessage("How do refunds work?").build()).inputTokens();

        assertThat(tokens).isEqualTo(3 + 3 + Replies.count("user", Replies.encodingFor("gpt-4o")) + Replies.count("How do refunds work?",
                Replies.encodingFor("gpt-4o")));
        assertThat(sluice.simulator.stats().requests()).isEqualTo(before);
    }

    @Test
    @MatrixCell(client = ANTHROPIC_JAVA, capability = "errors by class")
    void errorsAreAnthropicsShapeAndTheSdksClasses() throws Exception {
        AnthropicClient stranger = AnthropicOkHttpClient.builder().baseUrl(root()).apiKey("sk-sluice-wrong").maxRetries(0).build();
        assertThatThrownBy(() -> stranger.messages().create(MessageCreateParams.builder().model("gpt-4o-mini").maxTokens(10).addUserMessage("hi").build()))
                .isInstanceOf(UnauthorizedException.class);
        stranger.close();
        assertThatThrownBy(() -> client.messages().create(MessageCreateParams.builder().model("gpt-4o-mini").maxTokens(10)
                .addUserMessage("hi " + Fault.RATE_LIMIT.directive()).build())).isInstanceOf(RateLimitException.class);

        HttpResponse<String> noMax = post("/v1/messages", "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(noMax.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(noMax.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(body.path("error").path("message").asText()).contains("max_tokens");

        assertThatThrownBy(() -> client.messages().create(MessageCreateParams.builder().model("gpt-4o-mini").maxTokens(10).addUserMessage("hi")
                .putAdditionalBodyProperty("top_k", com.anthropic.core.JsonValue.from(5)).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> assertThat(e.getMessage()).contains("top_k"));
        HttpResponse<String> extra = post("/v1/messages", "{\"model\":\"gpt-4o-mini\",\"max_tokens\":5,\"planet\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(JSON.readTree(extra.body()).path("error").path("message").asText()).isEqualTo("planet: Extra inputs are not permitted");
    }

    @Test
    void aCutStreamEndsInAnErrorEventNotAStop() throws Exception {
        String cut = RawHttp.exchange(sluice.gateway.port(), RawHttp.post("/v1/messages", "{\"model\":\"gpt-4o-mini\",\"max_tokens\":300,"
                + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a long story please " + Fault.STREAM_CUT.directive() + "\"}]}",
                "x-api-key", key), java.time.Duration.ofSeconds(20));
        assertThat(cut).contains("event: message_start").contains("event: error").contains("\"type\":\"error\"").doesNotContain("message_stop");
    }

    private static final Tool LOOKUP = Tool.builder().name("lookup_order").description("Find an order").inputSchema(Tool.InputSchema.builder()
            .properties(Tool.InputSchema.Properties.builder().putAdditionalProperty("order_id", JsonValue.from(java.util.Map.of("type", "string"))).build())
            .required(List.of("order_id")).build()).build();

    @Test
    @MatrixCell(client = ANTHROPIC_JAVA, capability = "tools round trip")
    void theSdksToolUseRoundTrips() {
        MessageCreateParams asked = MessageCreateParams.builder().model("gpt-4o-mini").maxTokens(200).addUserMessage("Where is order 42?")
                .addTool(LOOKUP).toolChoice(ToolChoiceAny.builder().build()).build();
        Message first = client.messages().create(asked);
        assertThat(first.stopReason()).contains(StopReason.TOOL_USE);
        ToolUseBlock use = first.content().stream().flatMap(b -> b.toolUse().stream()).findFirst().orElseThrow();

        Message second = client.messages().create(asked.toBuilder().toolChoice(ToolChoiceAuto.builder().build()).addMessage(first.toParam())
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId(use.id())
                        .content("shipped yesterday").build()))).build());
        assertThat(second.content().getFirst().text()).hasValueSatisfying(t -> assertThat(t.text()).isNotBlank());
        assertThat(sluice.simulator.recentRequests().getLast().path("messages").get(2).path("tool_call_id").asText()).isEqualTo(use.id());
    }

    /** Public fields: the SDK derives the JSON schema it sends as output_config.format from them. */
    public static class OrderStatus {
        public String orderId;
        public int itemsShipped;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o-mini", "claude-sonnet-4.5"})
    @MatrixCell(client = ANTHROPIC_JAVA, capability = "structured output")
    void theSdksStructuredOutputParsesIntoAClass(String model) {
        StructuredMessage<OrderStatus> message = client.messages().create(MessageCreateParams.builder().model(model).maxTokens(200)
                .addUserMessage("Status of order 42?").outputConfig(OrderStatus.class).build());
        OrderStatus status = message.content().getFirst().text().orElseThrow().text();
        assertThat(status.orderId).isNotBlank();
        if (model.startsWith("claude")) {
            assertThat(sluice.simulator.recentRequests().getLast().path("output_config").path("format").path("type").asText()).isEqualTo("json_schema");
        }
    }

    @Test
    @MatrixCell(client = ANTHROPIC_JAVA, capability = "images")
    void theSdksImageReachesTheModel() {
        String png = "iVBORw0KGgoAAAANSUhEUgAACAAAABAACAIAAABp9JbO";
        Message message = client.messages().create(MessageCreateParams.builder().model("gpt-4o-mini").maxTokens(100)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofImage(Base64ImageSource.builder().data(png)
                        .mediaType(Base64ImageSource.MediaType.IMAGE_PNG).build()), ContentBlockParam.ofText("What is wrong with this order?"))).build());
        assertThat(message.content().getFirst().text()).isPresent();
        JsonNode sent = sluice.simulator.recentRequests().getLast().path("messages").get(0).path("content").get(0);
        assertThat(sent.path("image_url").path("url").asText()).isEqualTo("data:image/png;base64," + png);
    }

    @Test
    @MatrixCell(client = ANTHROPIC_JAVA, capability = "cut stream raises an error")
    void aCutStreamRaisesAnErrorInTheSdk() {
        assertThatThrownBy(() -> {
            try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(MessageCreateParams.builder().model("gpt-4o-mini")
                    .maxTokens(300).addUserMessage("a long story please " + Fault.STREAM_CUT.directive()).build())) {
                stream.stream().forEach(event -> { });
            }
        }).isInstanceOf(RuntimeException.class);
    }

    @Test
    void outputConfigIsCheckedByName() throws Exception {
        HttpResponse<String> effort = post("/v1/messages", "{\"model\":\"gpt-4o-mini\",\"max_tokens\":10,\"output_config\":{\"effort\":\"high\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(effort.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(effort.body()).path("error").path("message").asText()).contains("output_config.effort");
        HttpResponse<String> unknown = post("/v1/messages", "{\"model\":\"gpt-4o-mini\",\"max_tokens\":10,\"output_config\":{\"colour\":1},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(JSON.readTree(unknown.body()).path("error").path("message").asText()).isEqualTo("output_config.colour: Extra inputs are not permitted");
        HttpResponse<String> both = post("/v1/messages", "{\"model\":\"gpt-4o-mini\",\"max_tokens\":10,\"output_format\":{\"type\":\"json_schema\","
                + "\"schema\":{\"type\":\"object\"}},\"output_config\":{\"format\":{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\"}}},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(both.statusCode()).isEqualTo(400);
    }
}
