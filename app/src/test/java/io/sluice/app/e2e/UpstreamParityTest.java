package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.Gateway;
import io.sluice.app.config.GatewaySettings;
import io.sluice.http.server.ServerSettings;
import io.sluice.jdbc.StorageSettings;
import io.sluice.ports.out.ProviderSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The byte-level comparison: the same request straight to an OpenAI-shaped upstream and through Sluice gives the same
 * JSON, both ways: the upstream receives what the client sent, and the client receives what the upstream answered
 * (every field: log probabilities, refusals, annotations, further choices, usage details, fingerprint, service tier).
 * The upstream is not the simulator but a recorded one ({@link RecordedUpstream}), so nothing here is shaped by it.
 */
class UpstreamParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Numbers compare by value: the gateway may write 7 where the client wrote 7 as a long. */
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> a.isNumber() && b.isNumber()
            ? a.decimalValue().compareTo(b.decimalValue()) : a.equals(b) ? 0 : 1;
    private static final List<String> EVENTS = List.of(
            """
            {"id":"chatcmpl-r","object":"chat.completion.chunk","created":1764000000,"model":"gpt-4o-2024-08-06","service_tier":"default",\
            "system_fingerprint":"fp_50cad350e4","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},\
            "logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"x1"}""",
            """
            {"id":"chatcmpl-r","object":"chat.completion.chunk","created":1764000000,"model":"gpt-4o-2024-08-06","service_tier":"default",\
            "system_fingerprint":"fp_50cad350e4","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":{"content":[{"token":"Hello",\
            "logprob":-0.01,"bytes":[72,101,108,108,111],"top_logprobs":[]}],"refusal":null},"finish_reason":null}],"usage":null,"obfuscation":"x2"}""",
            """
            {"id":"chatcmpl-r","object":"chat.completion.chunk","created":1764000000,"model":"gpt-4o-2024-08-06","service_tier":"default",\
            "system_fingerprint":"fp_50cad350e4","choices":[{"index":1,"delta":{"role":"assistant","refusal":"I can't help with that."},\
            "logprobs":null,"finish_reason":null}],"usage":null}""",
            """
            {"id":"chatcmpl-r","object":"chat.completion.chunk","created":1764000000,"model":"gpt-4o-2024-08-06","service_tier":"default",\
            "system_fingerprint":"fp_50cad350e4","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}""",
            """
            {"id":"chatcmpl-r","object":"chat.completion.chunk","created":1764000000,"model":"gpt-4o-2024-08-06","service_tier":"default",\
            "system_fingerprint":"fp_50cad350e4","choices":[{"index":1,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}""",
            """
            {"id":"chatcmpl-r","object":"chat.completion.chunk","created":1764000000,"model":"gpt-4o-2024-08-06","service_tier":"default",\
            "system_fingerprint":"fp_50cad350e4","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":8,"total_tokens":20,\
            "prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,\
            "accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}""");
    /** Every field a support team's client may send, several that Sluice does not read among them. */
    private static final String REQUEST = """
            {"model":"gpt-4o","n":2,"temperature":0.2,"top_p":0.9,"max_tokens":300,"seed":7,"user":"customer-1",
             "logprobs":true,"top_logprobs":2,"metadata":{"ticket":"T-9"},"store":false,"service_tier":"auto","parallel_tool_calls":false,
             "prediction":{"type":"content","content":"Hello"},"logit_bias":{"50256":-100},"reasoning_effort":"low","verbosity":"low",
             "tools":[{"type":"function","function":{"name":"lookup_order","description":"Find an order","strict":true,
                       "parameters":{"type":"object","properties":{"id":{"type":"string"}},"required":["id"],"additionalProperties":false}}},
                      {"type":"custom","custom":{"name":"sql","description":"Run SQL","format":{"type":"text"}}}],
             "tool_choice":{"type":"allowed_tools","allowed_tools":{"mode":"auto","tools":[{"type":"function","function":{"name":"lookup_order"}}]}},
             "response_format":{"type":"json_schema","json_schema":{"name":"reply","strict":true,"schema":{"type":"object",
                       "properties":{"text":{"type":"string"}},"required":["text"],"additionalProperties":false}}},
             "messages":[{"role":"system","content":"You are a support agent."},
                         {"role":"user","content":"Where is order 42?","name":"alice"},
                         {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup_order","arguments":"{\\"id\\":\\"42\\"}"}}]},
                         {"role":"tool","tool_call_id":"call_1","content":"shipped"}]}""";

    private static RecordedUpstream upstream;
    private static Gateway sluice;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        upstream = new RecordedUpstream(io.sluice.testkit.fixtures.OpenAiAnswers.RICH_COMPLETION, EVENTS);
        GatewaySettings settings = GatewaySettings.builder(new ServerSettings("127.0.0.1", 0, 1 << 20, Optional.empty()),
                        StorageSettings.embedded(Files.createTempDirectory("sluice-parity").toString()))
                .providers(List.of(new ProviderSettings("recorded", "openai", upstream.baseUrl(), "sk-recorded", Duration.ofSeconds(5), 8, Map.of())))
                .passthroughProvider(Optional.of("recorded")).build();
        sluice = Gateway.start(settings);
    }

    @AfterAll
    static void stop() {
        sluice.close();
        upstream.close();
    }

    @Test
    void aPlainCallGivesTheSameJsonBothWays() throws Exception {
        HttpResponse<String> direct = post(upstream.baseUrl(), REQUEST);
        HttpResponse<String> through = post(sluice.baseUrl(), REQUEST);

        assertThat(through.statusCode()).isEqualTo(200);
        assertSameJson(through.body(), direct.body());
        List<JsonNode> sent = upstream.requests();
        assertThat(sent.get(sent.size() - 1).equals(BY_VALUE, sent.get(sent.size() - 2)))
                .as("the upstream got from Sluice what the client sent it: %s", sent.getLast()).isTrue();
    }

    @Test
    void aStreamGivesTheSameEventsBothWays() throws Exception {
        String streamed = REQUEST.replaceFirst("\\{", "{\"stream\":true,\"stream_options\":{\"include_usage\":true},");
        HttpResponse<String> direct = post(upstream.baseUrl(), streamed);
        HttpResponse<String> through = post(sluice.baseUrl(), streamed);

        List<String> directEvents = events(direct.body());
        List<String> throughEvents = events(through.body());
        assertThat(throughEvents).hasSameSizeAs(directEvents).hasSize(EVENTS.size() + 1);
        for (int i = 0; i < EVENTS.size(); i++) assertSameJson(throughEvents.get(i), directEvents.get(i));
        assertThat(throughEvents.getLast()).isEqualTo("[DONE]");
        List<JsonNode> sent = upstream.requests();
        assertThat(sent.get(sent.size() - 1).equals(BY_VALUE, sent.get(sent.size() - 2))).isTrue();

        String withoutUsage = REQUEST.replaceFirst("\\{", "{\"stream\":true,");
        List<String> plain = events(post(sluice.baseUrl(), withoutUsage).body());
        assertThat(plain).as("no usage chunk, and no usage field, for a client that did not ask").hasSize(EVENTS.size())
                .noneMatch(e -> e.contains("\"usage\""));
        assertThat(upstream.requests().getLast().path("stream_options").path("include_usage").asBoolean())
                .as("the gateway asks for usage all the same: it bills by it").isTrue();
    }

    @Test
    void anUpstreamRefusalKeepsItsCodeAndParamAndA404IsNotAlwaysAMissingModel() throws Exception {
        HttpResponse<String> refused = post(sluice.baseUrl(), REQUEST.replace("\"temperature\":0.2", "\"temperature\":1.9"));
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(refused.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("invalid_value");
        assertThat(error.path("param").asText()).isEqualTo("temperature");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asText()).contains("must be at most 1.8");

        HttpResponse<String> notFound = post(sluice.baseUrl(), REQUEST.replace("\"model\":\"gpt-4o\"", "\"model\":\"missing\""));
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(notFound.body()).path("error").path("code").asText()).isEqualTo("not_found");
    }

    private static void assertSameJson(String actual, String expected) throws Exception {
        JsonNode a = JSON.readTree(actual);
        JsonNode e = JSON.readTree(expected);
        assertThat(a.equals(BY_VALUE, e)).as("%s%nequals%n%s", actual, expected).isTrue();
    }

    private static List<String> events(String sse) {
        List<String> data = new ArrayList<>();
        for (String line : sse.split("\n")) if (line.startsWith("data: ")) data.add(line.substring(6));
        return data;
    }

    private static HttpResponse<String> post(String baseUrl, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions")).header("content-type", "application/json")
                .header("authorization", "Bearer sk-any").timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
