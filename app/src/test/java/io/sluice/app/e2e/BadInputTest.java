package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input gets a precise 4xx in OpenAI's error shape, never a 500, and never reaches the upstream. */
class BadInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestGateway sluice;

    @BeforeAll
    static void start() {
        sluice = TestGateway.onH2();
    }

    @AfterAll
    static void stop() throws Exception {
        sluice.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed JSON            | {\"model\":\"gpt-4o-mini\",\"messages\":[            | invalid_json     |",
            "not an object             | [1,2,3]                                              | invalid_request  |",
            "empty body                | ''                                                   | invalid_json     |",
            "missing messages          | {\"model\":\"gpt-4o-mini\"}                          | invalid_request  | messages",
            "messages not an array     | {\"model\":\"gpt-4o-mini\",\"messages\":\"hi\"}      | invalid_type     | messages",
            "empty messages            | {\"model\":\"gpt-4o-mini\",\"messages\":[]}          | invalid_request  | messages",
            "missing model             | {\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | invalid_request | model",
            "model of wrong type       | {\"model\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | invalid_type | model",
            "unknown role              | {\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]} | invalid_request | messages[0].role",
            "role of wrong type        | {\"model\":\"m\",\"messages\":[{\"role\":1,\"content\":\"hi\"}]} | invalid_type | messages[0].role",
            "empty content             | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"\"}]} | invalid_request | messages[0].content",
            "missing content           | {\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}  | invalid_request  | messages[0].content",
            "content of wrong type     | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":42}]} | invalid_type | messages[0].content",
            "message not an object     | {\"model\":\"m\",\"messages\":[\"hi\"]}              | invalid_type     | messages[0]",
            "temperature as string     | {\"model\":\"m\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | invalid_type | temperature",
            "temperature out of range  | {\"model\":\"m\",\"temperature\":3,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | invalid_request | temperature",
            "max_tokens fractional     | {\"model\":\"m\",\"max_tokens\":1.5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | invalid_type | max_tokens",
            "max_tokens zero           | {\"model\":\"m\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | invalid_request | max_tokens",
            "stream as string          | {\"model\":\"m\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | invalid_type | stream",
            "stream_options w/o stream | {\"model\":\"m\",\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | invalid_request | stream_options",
            "n past an int             | {\"model\":\"m\",\"n\":4294967297,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | invalid_type | n",
            "control character in model | {\"model\":\"gpt\\u0007x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | invalid_value | model",
            "DEL in model              | {\"model\":\"gpt\\u007fx\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | invalid_value | model",
            "NUL in user               | {\"model\":\"m\",\"user\":\"a\\u0000b\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | invalid_value | user",
            "user over 256             | {\"model\":\"m\",\"user\":\"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | invalid_value | user",
            "name over 256             | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"name\":\"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\",\"content\":\"hi\"}]} | invalid_value | messages[0].name",
            "image on ftp              | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"ftp://x/a.png\"}}]}]} | invalid_image_url | messages[0].content[0].image_url.url",
            "image detail ultra        | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/a.png\",\"detail\":\"ultra\"}}]}]} | invalid_request | messages[0].content[0].image_url.detail",
            "audio as ogg              | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AA==\",\"format\":\"ogg\"}}]}]} | invalid_request | messages[0].content[0].input_audio.format",
            "file with neither         | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"file\",\"file\":{}}]}]} | invalid_request | messages[0].content[0].file",
            "image from the assistant  | {\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/a.png\"}}]}]} | unsupported_content | messages[0].content",
            "video part                | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"video\"}]}]} | unsupported_content | messages[0].content[0].type",
            "n above 128               | {\"model\":\"m\",\"n\":129,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | invalid_request | n",
            "tool without call id      | {\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"42\"}]} | invalid_request | messages[0].tool_call_id",
            "tool call with empty id   | {\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]} | invalid_request |",
            "bad tool name             | {\"model\":\"m\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"no spaces\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | invalid_request | tools[0].function.name",
            "image url not a url       | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"x\"}}]}]} | invalid_image_url | messages[0].content[0].image_url.url"})
    void isRejectedWith400(String name, String body, String code, String param) throws Exception {
        HttpResponse<String> response = sluice.post("/v1/chat/completions", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        if (param != null) assertThat(error.path("param").asText()).isEqualTo(param);
        assertThat(error.has("param")).isTrue();
    }

    @Test
    void invalidUtf8IsRejectedWith400() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"caf".getBytes(StandardCharsets.US_ASCII));
        body.write(new byte[]{(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        body.write("\"}]}".getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> response = sluice.post("/v1/chat/completions", HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").path("code").asText()).isEqualTo("invalid_encoding");
    }

    @Test
    void aBodyOverTheLimitIsRejectedWith413() throws Exception {
        String huge = "x".repeat((int) TestGateway.MAX_BODY_BYTES + 10);
        HttpResponse<String> response = sluice.post("/v1/chat/completions", TestGateway.chat(huge));

        assertThat(response.statusCode()).isEqualTo(413);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("request_too_large");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void aMalformedConversationIdIsRejected() throws Exception {
        HttpResponse<String> response = sluice.post("/v1/chat/completions", TestGateway.chat("hi"), "X-Conversation-Id", "../../etc/passwd");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").path("param").asText()).isEqualTo("X-Conversation-Id");
    }

    @Test
    void unknownRoutesAndMethodsAnswerInOpenAiShape() throws Exception {
        HttpResponse<String> notFound = sluice.get("/v1/nothing-here");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(notFound.body()).path("error").path("code").asText()).isEqualTo("unknown_url");

        HttpResponse<String> wrongMethod = sluice.get("/v1/chat/completions");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(JSON.readTree(wrongMethod.body()).path("error").path("code").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void jsonPastTheParsersLimitsIsA400NotA500() throws Exception {
        String deep = "{\"model\":\"m\",\"messages\":" + "[".repeat(1_200) + "]".repeat(1_200) + "}";
        String longNumber = "{\"model\":\"m\",\"temperature\":" + "1".repeat(5_000) + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        for (String body : new String[] {deep, longNumber}) {
            for (String path : new String[] {"/v1/chat/completions", "/v1/conversations", "/admin/keys"}) {
                HttpResponse<String> response = sluice.post(path, body);
                assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(400);
                assertThat(JSON.readTree(response.body()).path("error").path("code").asText()).isEqualTo("invalid_json");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "NUL in a conversation's user     | /v1/conversations | {\"user\":\"a\\u0000b\"}                       | user",
            "NUL in a metadata value          | /v1/conversations | {\"metadata\":{\"k\":\"a\\u0000b\"}}         | metadata.k",
            "NUL in a metadata key            | /v1/conversations | {\"metadata\":{\"a\\u0000\":\"b\"}}           | metadata",
            "NUL in a system prompt           | /v1/conversations | {\"system_prompt\":\"be \\u0000 nice\"}        | system_prompt",
            "lone surrogate in a system prompt | /v1/conversations | {\"system_prompt\":\"\\ud800\"}                | system_prompt",
            "NUL in a key's owner             | /admin/keys       | {\"owner\":\"a\\u0000b\"}                      | owner",
            "NUL in a key's name              | /admin/keys       | {\"owner\":\"acme\",\"name\":\"a\\u0000b\"} | name"})
    void unstorableTextAnywhereIsA400NamingIt(String name, String path, String body, String param) throws Exception {
        HttpResponse<String> response = sluice.post(path, body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("invalid_value");
        assertThat(error.path("param").asText()).isEqualTo(param);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "past NUMERIC(20,9)       | 1e20",
            "twelve whole digits      | 123456789012",
            "a billion-digit exponent | 1e999999999",
            "the same, as text        | \"1e999999999\"",
            "ten decimal places       | 0.0000000001",
            "negative                 | -1",
            "not a number             | \"lots\""})
    void aBudgetAmountTheLedgerCannotHoldIsA400AtOnce(String name, String amount) throws Exception {
        HttpResponse<String> response = sluice.post("/admin/keys", "{\"owner\":\"acme\",\"budgets\":{\"day\":" + amount + "}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").path("param").asText()).isEqualTo("budgets.day");
    }

    @Test
    void aBudgetAmountIsKeptExactly() throws Exception {
        HttpResponse<String> response = sluice.post("/admin/keys", "{\"owner\":\"acme\",\"budgets\":{\"day\":999999999.123456789}}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(JSON.readTree(response.body()).path("budgets").path("day").asText()).isEqualTo("999999999.123456789");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/v1/usage?end_time=9999999999999, end_time", "/v1/usage?start_time=-99999999999999, start_time",
            "/admin/usage?end_time=99999999999999999999, end_time"})
    void aUsageTimeOutsideTheStoresRangeIsA400(String path, String param) throws Exception {
        HttpResponse<String> response = sluice.get(path);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").path("param").asText()).isEqualTo(param);
    }

    @Test
    void nothingRejectedReachedTheUpstream() {
        long before = sluice.simulator.stats().requests();
        sluice.post("/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}");

        assertThat(sluice.simulator.stats().requests()).isEqualTo(before);
    }
}
