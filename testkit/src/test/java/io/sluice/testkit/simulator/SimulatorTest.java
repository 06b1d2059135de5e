package io.sluice.testkit.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator over real HTTP, as any OpenAI client sees it. */
class SimulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Simulator simulator;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        simulator = new Simulator(SimulatorConfig.ofDefaults());
        simulator.start(0);
    }

    @AfterAll
    static void stop() {
        simulator.close();
    }

    @BeforeEach
    void reset() {
        simulator.configure(SimulatorConfig.ofDefaults());
        simulator.reset();
    }

    private static String body(String content, String extra) {
        return "{\"model\":\"gpt-4o-mini\"" + extra + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
    }

    private static HttpResponse<String> post(String path, String body, String key, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path)).timeout(timeout)
                .header("authorization", "Bearer " + key).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> chat(String body) throws IOException, InterruptedException {
        return post("/chat/completions", body, "sk-a", Duration.ofSeconds(10));
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Test
    void answersDeterministicallyWithALengthThatFollowsTheRequest() throws Exception {
        JsonNode a = json(chat(body("where is my parcel", "")));
        JsonNode b = json(chat(body("where is my parcel", "")));
        JsonNode longer = json(chat(body("where is my parcel it was due on monday and it has still not arrived today", "")));

        String text = a.path("choices").path(0).path("message").path("content").asText();
        assertThat(text).isEqualTo(b.path("choices").path(0).path("message").path("content").asText());
        assertThat(a.path("usage").path("completion_tokens").asInt())
                .isLessThan(longer.path("usage").path("completion_tokens").asInt());
        assertThat(a.path("object").asText()).isEqualTo("chat.completion");
        // 3 framing + "user" + "where is my parcel" (4 tokens) + 3 priming, in o200k_base
        assertThat(a.path("usage").path("prompt_tokens").asInt()).isEqualTo(3 + 1 + 4 + 3);
    }

    @Test
    void maxTokensCapsTheReply() throws Exception {
        JsonNode capped = json(chat(body("one two three four five six seven eight nine ten", ",\"max_tokens\":5")));
        assertThat(capped.path("usage").path("completion_tokens").asInt()).isBetween(1, 5);
        assertThat(capped.path("choices").path(0).path("finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void streamsInOpenAisFramingWithUsageOnlyWhenAsked() throws Exception {
        String plain = json(chat(body("stream this reply", ""))).path("choices").path(0).path("message").path("content").asText();
        String withUsage = chat(body("stream this reply", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}")).body();
        String without = chat(body("stream this reply", ",\"stream\":true")).body();

        assertThat(withUsage).startsWith("data: {").endsWith("data: [DONE]\n\n").contains("\"choices\":[],\"usage\":{");
        assertThat(without).endsWith("data: [DONE]\n\n").doesNotContain("\"usage\"");
        StringBuilder text = new StringBuilder();
        for (String line : without.split("\n")) {
            if (line.startsWith("data: {")) {
                JsonNode delta = JSON.readTree(line.substring(6)).path("choices").path(0).path("delta");
                if (delta.path("content").isTextual()) text.append(delta.path("content").asText());
            }
        }
        assertThat(text.toString()).isEqualTo(plain);
    }

    @Test
    void waitsTheConfiguredLatency() throws Exception {
        simulator.configure(SimulatorConfig.ofDefaults().withLatency(Duration.ofMillis(300)));
        long start = System.nanoTime();
        chat(body("hi", ""));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void injectsFaultsAtTheConfiguredRate() throws Exception {
        simulator.configure(SimulatorConfig.ofDefaults().withFaultRate(Fault.RATE_LIMIT, 0.3).withFaultRate(Fault.SERVER_ERROR, 0.1));
        int limited = 0;
        int failed = 0;
        for (int i = 0; i < 300; i++) {
            int status = chat(body("hi", "")).statusCode();
            if (status == 429) limited++;
            if (status == 500) failed++;
        }
        assertThat(limited).isBetween(60, 120);
        assertThat(failed).isBetween(15, 45);
        assertThat(simulator.stats().faults(Fault.RATE_LIMIT)).isEqualTo(limited);
        assertThat(simulator.stats().served()).isEqualTo(300 - limited - failed);
    }

    @Test
    void aRateLimitSaysWhenToRetry() throws Exception {
        HttpResponse<String> response = chat(body("hi " + Fault.RATE_LIMIT.directive(), ""));

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).contains("1");
        assertThat(response.headers().firstValue("x-ratelimit-reset-requests")).contains("1s");
        assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
        assertThat(json(response).path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void limitsRequestsPerMinutePerKey() throws Exception {
        simulator.configure(SimulatorConfig.ofDefaults().withRpmPerKey(3));
        List<Integer> keyA = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) keyA.add(post("/chat/completions", body("hi", ""), "sk-a", Duration.ofSeconds(5)).statusCode());

        assertThat(keyA).containsExactly(200, 200, 200, 429);
        assertThat(post("/chat/completions", body("hi", ""), "sk-b", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
    }

    @Test
    void hangsUntilTheClientGivesUp() {
        assertThatThrownBy(() -> post("/chat/completions", body("hi " + Fault.HANG.directive(), ""), "sk-a", Duration.ofMillis(300)))
                .isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void resetsTheConnection() {
        assertThatThrownBy(() -> chat(body("hi " + Fault.RESET.directive(), ""))).isInstanceOf(IOException.class);
    }

    @Test
    void cutsAStreamMidAnswerAndBillsWhatItSent() throws Exception {
        try {
            String partial = chat(body("tell me a long story about parcels " + Fault.STREAM_CUT.directive(), ",\"stream\":true")).body();
            assertThat(partial).doesNotContain("[DONE]");
        } catch (IOException cut) {
            // the JDK client may surface the cut as an exception instead of a short body: both are a cut
        }
        assertThat(simulator.stats().faults(Fault.STREAM_CUT)).isEqualTo(1);
        assertThat(simulator.stats().served()).isZero();
        assertThat(simulator.stats().promptTokens()).isPositive();
    }

    @Test
    void callsAToolWhenOffered() throws Exception {
        JsonNode answer = json(chat(body("track order 42",
                ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"track\",\"parameters\":{\"type\":\"object\"}}}]")));

        JsonNode call = answer.path("choices").path(0).path("message").path("tool_calls").path(0);
        assertThat(call.path("function").path("name").asText()).isEqualTo("track");
        assertThat(answer.path("choices").path(0).path("finish_reason").asText()).isEqualTo("tool_calls");
    }

    @Test
    void countsWhatItServed() throws Exception {
        int prompt = 0;
        int completion = 0;
        for (String q : List.of("a b c", "d e f g", "h")) {
            JsonNode usage = json(chat(body(q, ""))).path("usage");
            prompt += usage.path("prompt_tokens").asInt();
            completion += usage.path("completion_tokens").asInt();
        }
        SimulatorStats stats = simulator.stats();
        assertThat(stats.requests()).isEqualTo(3);
        assertThat(stats.served()).isEqualTo(3);
        assertThat(stats.promptTokens()).isEqualTo(prompt);
        assertThat(stats.completionTokens()).isEqualTo(completion);
        assertThat(simulator.recentRequests()).hasSize(3);
    }

    @Test
    void embedsDeterministicallyWithUnitVectors() throws Exception {
        String request = "{\"model\":\"text-embedding-3-small\",\"input\":[\"refund my order\",\"refund my order\",\"weather\"],\"dimensions\":32}";
        JsonNode answer = json(post("/embeddings", request, "sk-a", Duration.ofSeconds(5)));

        JsonNode data = answer.path("data");
        assertThat(data).hasSize(3);
        assertThat(data.get(0).path("embedding")).hasSize(32).isEqualTo(data.get(1).path("embedding"));
        assertThat(data.get(0).path("embedding")).isNotEqualTo(data.get(2).path("embedding"));
        double norm = 0;
        for (JsonNode v : data.get(0).path("embedding")) norm += v.asDouble() * v.asDouble();
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(answer.path("usage").path("prompt_tokens").asInt()).isPositive();
    }

    @Test
    void listsItsModels() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/models")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json(response).path("data").findValuesAsText("id")).containsAll(List.of("gpt-4o-mini", "gpt-4.1"));
    }

    @Test
    void refusesMalformedJson() throws Exception {
        assertThat(chat("{not json").statusCode()).isEqualTo(400);
    }
}
