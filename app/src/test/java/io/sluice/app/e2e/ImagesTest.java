package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.testkit.matrix.MatrixCell;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A customer's screenshot: an image in a user message reaches an OpenAI model as sent, a Claude model as an image
 * block and a Gemini model as inline data; a stored conversation keeps it and sends it again on the next turn, from
 * the database and from the context cache alike; it is counted by the rule of the provider it goes to; what a provider
 * cannot take is refused naming it.
 */
class ImagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The header of a 2048 x 4096 PNG: enough for the gateway to count it and the upstream to be sent it. */
    private static final String PNG = "iVBORw0KGgoAAAANSUhEUgAACAAAABAACAIAAABp9JbO";
    private static final String DATA_URL = "data:image/png;base64," + PNG;
    private static final List<ModelSpec> MODELS = List.of(
            new ModelSpec("gpt-4o-mini", TestGateway.PROVIDER, "gpt-4o-mini", 128_000, Encoding.O200K_BASE, Prices.FREE),
            new ModelSpec("claude-sonnet-4.5", TestGateway.ANTHROPIC, "claude-sonnet-4-5", 200_000, Encoding.O200K_BASE, Prices.FREE),
            new ModelSpec("gemini-2.5-flash", TestGateway.GEMINI, "gemini-2.5-flash", 1_000_000, Encoding.O200K_BASE, Prices.FREE));
    private static TestGateway sluice;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        sluice = TestGateway.on("postgres", MODELS, TestGateway.REDIS_CACHE);
        client = OpenAIOkHttpClient.builder().baseUrl(sluice.baseUrl()).apiKey("sk-any").maxRetries(0).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        sluice.close();
    }

    private static String screenshot(String model, String text) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"" + DATA_URL + "\",\"detail\":\"high\"}}]}]}";
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o-mini", "claude-sonnet-4.5", "gemini-2.5-flash"})
    @MatrixCell(client = OpenAiSdkCompatibilityTest.OPENAI_JAVA, capability = "images")
    void theSdksImageReachesEveryProviderInItsOwnTerms(String model) {
        var completion = client.chat().completions().create(ChatCompletionCreateParams.builder().model(model)
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is wrong with this order?").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder().imageUrl(
                                ChatCompletionContentPartImage.ImageUrl.builder().url(DATA_URL).build()).build())))
                .build());

        assertThat(completion.choices().getFirst().message().content()).isPresent();
        JsonNode sent = sluice.simulator.recentRequests().getLast();
        switch (model) {
            case "gpt-4o-mini" -> assertThat(sent.path("messages").get(0).path("content").get(1).path("image_url").path("url").asText())
                    .isEqualTo(DATA_URL);
            case "claude-sonnet-4.5" -> {
                JsonNode source = sent.path("messages").get(0).path("content").get(1).path("source");
                assertThat(source.path("type").asText()).isEqualTo("base64");
                assertThat(source.path("media_type").asText()).isEqualTo("image/png");
                assertThat(source.path("data").asText()).isEqualTo(PNG);
            }
            default -> {
                JsonNode inline = sent.path("contents").get(0).path("parts").get(1).path("inlineData");
                assertThat(inline.path("mimeType").asText()).isEqualTo("image/png");
                assertThat(inline.path("data").asText()).isEqualTo(PNG);
            }
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"gpt-4o-mini, 1105", "claude-sonnet-4.5, 1600", "gemini-2.5-flash, 4644"})
    void anImageIsCountedByTheRuleOfTheProviderItGoesTo(String model, int imageTokens) throws Exception {
        String text = "{\"type\":\"text\",\"text\":\"What is wrong with this order?\"}";
        String image = "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"" + PNG + "\"}}";
        int withImage = inputTokens(model, text + "," + image);
        int without = inputTokens(model, text);
        assertThat(withImage - without).as("2048 x 4096 by %s's rule", model).isEqualTo(imageTokens);
    }

    private static int inputTokens(String model, String content) throws Exception {
        HttpResponse<String> counted = sluice.post("/v1/messages/count_tokens", "{\"model\":\"" + model
                + "\",\"messages\":[{\"role\":\"user\",\"content\":[" + content + "]}]}");
        assertThat(counted.statusCode()).as(counted.body()).isEqualTo(200);
        return JSON.readTree(counted.body()).path("input_tokens").asInt();
    }

    @Test
    void aStoredConversationKeepsTheImageAndSendsItAgainOnTheNextTurn() throws Exception {
        HttpResponse<String> first = sluice.post("/v1/chat/completions", screenshot("gpt-4o-mini", "My parcel arrived broken"),
                "X-Conversation-Id", "new");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String conversation = first.headers().firstValue("X-Conversation-Id").orElseThrow();

        for (String model : List.of("claude-sonnet-4.5", "gpt-4o-mini")) { // the first read misses the cache, the second hits it
            HttpResponse<String> next = sluice.post("/v1/chat/completions", "{\"model\":\"" + model
                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Can I get a refund?\"}]}", "X-Conversation-Id", conversation);
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            JsonNode history = sluice.simulator.recentRequests().getLast().path("messages").get(0).path("content");
            assertThat(history.toString()).as("the screenshot, again, to %s", model).contains(PNG);
        }

        JsonNode items = JSON.readTree(sluice.get("/v1/conversations/" + conversation + "/items").body()).path("data");
        JsonNode image = items.get(0).path("content").get(1);
        assertThat(image.path("type").asText()).isEqualTo("input_image");
        assertThat(image.path("image_url").asText()).isEqualTo(DATA_URL);
        assertThat(items.get(0).path("tokens").asInt()).as("counted with the image's tiles").isGreaterThan(1105);
    }

    @Test
    void whatAProviderCannotTakeIsRefusedNamingItBeforeAnythingIsSent() throws Exception {
        long before = sluice.simulator.stats().requests();
        HttpResponse<String> audio = sluice.post("/v1/chat/completions", "{\"model\":\"claude-sonnet-4.5\",\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"UklGRg==\",\"format\":\"wav\"}}]}]}");

        assertThat(audio.statusCode()).as(audio.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(audio.body()).path("error");
        assertThat(error.path("message").asText()).contains("'anthropic'");
        assertThat(error.path("code").asText()).isEqualTo("unsupported_feature");
        assertThat(sluice.simulator.stats().requests()).isEqualTo(before);
    }
}
