package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.testkit.matrix.MatrixCell;
import io.sluice.testkit.simulator.Fault;
import io.sluice.testkit.simulator.Replies;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code POST /v1/embeddings} with the official SDK and over raw HTTP: answered in OpenAI's shape (floats or base64),
 * billed in the ledger at the model's price and reported, held to the key's rate limit, retried and failed like chat,
 * and refused with a 400 naming the field (or the provider that has no embeddings) before anything goes upstream.
 */
class EmbeddingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin-key-for-embedding-tests-7";
    private static final String MODEL = "text-embedding-3-small";
    private static TestGateway sluice;
    private static String key;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        sluice = TestGateway.onPostgresWithKeys(ADMIN, List.of(
                new ModelSpec(MODEL, TestGateway.PROVIDER, MODEL, 8_192, Encoding.CL100K_BASE,
                        new Prices(new BigDecimal("0.02"), BigDecimal.ZERO, BigDecimal.ZERO)),
                new ModelSpec("claude-haiku", TestGateway.ANTHROPIC, "claude-haiku-4-5", 200_000, Encoding.O200K_BASE, Prices.FREE),
                new ModelSpec("gemini-embedding", TestGateway.GEMINI, "gemini-embedding-001", 2_048, Encoding.O200K_BASE,
                        new Prices(new BigDecimal("0.15"), BigDecimal.ZERO, BigDecimal.ZERO))));
        key = createKey("");
        client = OpenAIOkHttpClient.builder().baseUrl(sluice.baseUrl()).apiKey(key).maxRetries(0).build();
    }

    @AfterAll
    static void stop() throws Exception {
        client.close();
        sluice.close();
    }

    private static String createKey(String policy) throws Exception {
        HttpResponse<String> created = sluice.post("/admin/keys", "{\"owner\":\"acme\"" + policy + "}", "Authorization", "Bearer " + ADMIN);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).path("key").asText();
    }

    private static HttpResponse<String> embed(String apiKey, String body) {
        return sluice.post("/v1/embeddings", body, "Authorization", "Bearer " + apiKey);
    }

    @Test
    @MatrixCell(client = OpenAiSdkCompatibilityTest.OPENAI_JAVA, capability = "embeddings")
    void theSdkEmbedsAndTheCallIsBilledAndReported() throws Exception {
        List<String> texts = List.of("Where is my order?", "How do I get a refund?");
        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder().model(MODEL)
                .inputOfArrayOfStrings(texts).dimensions(32).build());
        assertThat(response.data()).hasSize(2);
        assertThat(response.data().get(1).index()).isEqualTo(1);
        assertThat(response.data().getFirst().embedding()).hasSize(32);
        long tokens = texts.stream().mapToLong(t -> Replies.count(t, Replies.encodingFor(MODEL))).sum();
        assertThat(response.usage().promptTokens()).isEqualTo(tokens);
        assertThat(response.model()).isEqualTo(MODEL);
        JsonNode report = JSON.readTree(sluice.get("/v1/usage?group_by=model", "Authorization", "Bearer " + key).body());
        JsonNode row = null;
        for (JsonNode r : report.path("data")) if (r.path("model").asText().equals(MODEL)) row = r;
        assertThat(row).as("the model's row in %s", report).isNotNull();
        long billed = row.path("input_tokens").asLong();
        assertThat(billed).isPositive();
        assertThat(new BigDecimal(row.path("cost_usd").asText()))
                .isEqualByComparingTo(BigDecimal.valueOf(billed * 2).divide(BigDecimal.valueOf(100_000_000)));
    }

    @Test
    void aGeminiModelEmbedsThroughBatchEmbedContentsAndIsBilledByTheGatewaysCount() throws Exception {
        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder().model("gemini-embedding")
                .inputOfArrayOfStrings(List.of("Where is my order?", "How do I get a refund?")).dimensions(16).build());

        assertThat(response.data()).hasSize(2);
        assertThat(response.data().getFirst().embedding()).hasSize(16);
        assertThat(response.data().get(0).embedding()).isNotEqualTo(response.data().get(1).embedding());
        assertThat(response.usage().promptTokens()).as("Gemini reports no usage: the gateway's own count").isPositive();
        JsonNode sent = sluice.simulator.recentRequests().getLast();
        assertThat(sent.path("requests")).hasSize(2);
        assertThat(sent.path("requests").get(0).path("model").asText()).isEqualTo("models/gemini-embedding-001");
        assertThat(sent.path("requests").get(0).path("outputDimensionality").asInt()).isEqualTo(16);

        JsonNode base64 = JSON.readTree(embed(key, "{\"model\":\"gemini-embedding\",\"input\":\"refunds\",\"encoding_format\":\"base64\"}").body());
        assertThat(base64.path("data").get(0).path("embedding").isTextual()).as("encoded by the gateway").isTrue();
        HttpResponse<String> tokens = embed(key, "{\"model\":\"gemini-embedding\",\"input\":[[1,2,3]]}");
        assertThat(tokens.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tokens.body()).path("error").path("param").asText()).isEqualTo("input");
        assertThat(JSON.readTree(tokens.body()).path("error").path("message").asText()).contains("gemini");
    }

    @Test
    void floatsAndBase64AreOpenAisEncodingsOfTheSameVector() throws Exception {
        JsonNode floats = JSON.readTree(embed(key, "{\"model\":\"" + MODEL + "\",\"input\":\"refund policy\",\"dimensions\":8}").body());
        JsonNode base64 = JSON.readTree(embed(key, "{\"model\":\"" + MODEL + "\",\"input\":\"refund policy\",\"dimensions\":8,"
                + "\"encoding_format\":\"base64\"}").body());
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(base64.path("data").get(0).path("embedding").asText()))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        JsonNode values = floats.path("data").get(0).path("embedding");
        assertThat(values).hasSize(8);
        for (JsonNode v : values) assertThat(bytes.getFloat()).isEqualTo(v.floatValue());
        JsonNode tokens = JSON.readTree(embed(key, "{\"model\":\"" + MODEL + "\",\"input\":[[1,2,3],[4,5]]}").body());
        assertThat(tokens.path("usage").path("prompt_tokens").asInt()).as("token arrays count as their length").isEqualTo(5);
    }

    @Test
    void aKeysRateLimitHoldsForEmbeddings() throws Exception {
        String limited = createKey(",\"limits\":{\"rpm\":1}");
        String body = "{\"model\":\"" + MODEL + "\",\"input\":\"hello\"}";
        assertThat(embed(limited, body).statusCode()).isEqualTo(200);
        HttpResponse<String> second = embed(limited, body);
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("x-ratelimit-limit-requests")).contains("1");
    }

    @Test
    void anUpstreamFailureIsRetriedThenAnsweredAsChatsAre() throws Exception {
        long before = sluice.simulator.stats().requests();
        HttpResponse<String> failed = sluice.post("/v1/embeddings", "{\"model\":\"" + MODEL + "\",\"input\":\"x " + Fault.SERVER_ERROR.directive() + "\"}",
                "Authorization", "Bearer " + key, "X-SLA-Tier", "fast");
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(failed.body()).path("error").path("type").asText()).isEqualTo("server_error");
        assertThat(failed.headers().firstValue("x-should-retry")).contains("false");
        assertThat(sluice.simulator.stats().requests() - before).as("retried by the gateway").isGreaterThan(1);
    }

    @Test
    void aFailedCallReleasesItsBudgetHold() throws Exception {
        // each call holds about 1e-6 USD (some 50 tokens) while it runs: were a failed call's hold kept, the third would be refused
        String budgeted = createKey(",\"budgets\":{\"total\":\"0.0000025\"}");
        String words = "refund ".repeat(50);
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> failed = sluice.post("/v1/embeddings", "{\"model\":\"" + MODEL + "\",\"input\":\"" + words + Fault.BAD_REQUEST.directive() + "\"}",
                    "Authorization", "Bearer " + budgeted);
            assertThat(failed.statusCode()).as(failed.body()).isEqualTo(400);
        }
        assertThat(embed(budgeted, "{\"model\":\"" + MODEL + "\",\"input\":\"hello\"}").statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no input          | {\"model\":\"text-embedding-3-small\"}                                      | input",
            "empty input       | {\"model\":\"text-embedding-3-small\",\"input\":\"\"}                       | input",
            "empty array       | {\"model\":\"text-embedding-3-small\",\"input\":[]}                         | input",
            "mixed input       | {\"model\":\"text-embedding-3-small\",\"input\":[\"a\",[1]]}                | input",
            "object input      | {\"model\":\"text-embedding-3-small\",\"input\":[{\"a\":1}]}                | input[0]",
            "bad format        | {\"model\":\"text-embedding-3-small\",\"input\":\"a\",\"encoding_format\":\"hex\"} | encoding_format",
            "zero dimensions   | {\"model\":\"text-embedding-3-small\",\"input\":\"a\",\"dimensions\":0}     | dimensions",
            "NUL in input      | {\"model\":\"text-embedding-3-small\",\"input\":\"a\\u0000b\"}              | input",
            "no model          | {\"input\":\"a\"}                                                            | model",
            "provider without  | {\"model\":\"claude-haiku\",\"input\":\"a\"}                                 | model"})
    void badInputIsRefusedNamingTheFieldBeforeAnythingGoesUpstream(String name, String body, String param) throws Exception {
        long before = sluice.simulator.stats().requests();
        HttpResponse<String> refused = embed(key, body);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(refused.body()).path("error");
        assertThat(error.path("param").asText()).isEqualTo(param);
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(sluice.simulator.stats().requests()).isEqualTo(before);
    }

    @Test
    void aModelTheGatewayDoesNotConfigureGoesToThePassthroughProviderAsChatsDo() {
        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder().model("text-embedding-3-large").input("x").build());
        assertThat(response.model()).isEqualTo("text-embedding-3-large");
        assertThat(sluice.simulator.recentRequests().getLast().path("model").asText()).isEqualTo("text-embedding-3-large");
    }
}
