package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.simulator.Fault;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Upstream faults reach the client as OpenAI-shaped errors with the right status, and the gateway stays up. Each case
 * gets a gateway of its own: a fault leaves state behind on purpose (a cooling key, a failure on the circuit).
 */
class UpstreamFailuresTest {
    private TestGateway sluice;

    @BeforeEach
    void start() {
        sluice = TestGateway.onH2();
        sluice.simulator.configure(sluice.simulator.config().withRetryAfter(Duration.ofSeconds(3)));
    }

    @AfterEach
    void stop() throws Exception {
        sluice.close();
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({
            "RATE_LIMIT,   429, rate_limit_exceeded,        false",
            "SERVER_ERROR, 502, upstream_error,             false",
            "BAD_GATEWAY,  502, upstream_error,             false",
            "UNAVAILABLE,  503, upstream_error,             false",
            "HANG,         504, upstream_timeout,           false",
            "RESET,        502, upstream_connection_failed, false",
            "BAD_REQUEST,  400, invalid_value,"})
    void faultsBecomeOpenAiShapedErrors(Fault fault, int status, String code, String shouldRetry) {
        // the fast tier: a retried fault gives up within 1 s instead of the default tier's 8 s
        HttpResponse<String> response = sluice.post("/v1/chat/completions", TestGateway.chat("help " + fault.directive()), "X-SLA-Tier", "fast");

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(response.body()).startsWith("{\"error\":{\"message\":").contains("\"code\":\"" + code + "\"")
                .doesNotContain("sk-sim-secret").doesNotContain("Exception").doesNotContain("\tat ");
        // the gateway retried what was worth retrying already: the SDKs must not multiply its attempts by theirs
        assertThat(response.headers().firstValue("x-should-retry")).isEqualTo(java.util.Optional.ofNullable(shouldRetry));
        assertThat(response.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).matches("req_[0-9a-f]{32}"));
        assertStillServing();
    }

    @Test
    void theUpstreamsRequestIdIsForwardedNextToOurs() {
        HttpResponse<String> answered = sluice.post("/v1/chat/completions", TestGateway.chat("hello"));
        assertThat(answered.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).matches("req_[0-9a-f]{32}"));
        assertThat(answered.headers().firstValue("x-upstream-request-id")).hasValueSatisfying(id -> assertThat(id).startsWith("req_sim_"));

        HttpResponse<String> streamed = sluice.post("/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}");
        assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
        assertThat(streamed.headers().firstValue("x-upstream-request-id")).as("on a stream").hasValueSatisfying(id -> assertThat(id).startsWith("req_sim_"));

        HttpResponse<String> refused = sluice.post("/v1/chat/completions", TestGateway.chat("bad " + Fault.BAD_REQUEST.directive()));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("x-upstream-request-id")).as("on an upstream's error too")
                .hasValueSatisfying(id -> assertThat(id).startsWith("req_sim_"));
    }

    @Test
    void aRateLimitTellsTheClientWhenToRetry() {
        HttpResponse<String> response = sluice.post("/v1/chat/completions", TestGateway.chat("help " + Fault.RATE_LIMIT.directive()));

        assertThat(response.headers().firstValue("retry-after")).contains("3");
        assertThat(response.body()).contains("\"type\":\"rate_limit_error\"");
    }

    @Test
    void aStreamCutAfterTheFirstChunkEndsWithAnErrorEventThenAnAbortedBody() throws Exception {
        String answer = RawHttp.exchange(sluice.gateway.port(), RawHttp.post("/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"tell me a long story please now "
                        + Fault.STREAM_CUT.directive() + "\"}]}"), Duration.ofSeconds(10));

        assertThat(answer).startsWith("HTTP/1.1 200").contains("\"delta\"").contains("event: error\ndata: {\"error\":").doesNotContain("[DONE]");
        assertThat(answer).as("the chunked body is aborted, not ended with its last chunk: a client that ignores the error event "
                + "still sees a failure, never a complete answer").doesNotEndWith("0\r\n\r\n");
        assertStillServing();
    }

    @Test
    void aStreamThatFailsBeforeItsFirstChunkGetsAnHttpError() {
        HttpResponse<String> response = sluice.post("/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi " + Fault.RATE_LIMIT.directive() + "\"}]}");

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.body()).startsWith("{\"error\":");
    }

    /**
     * The gateway is alive and answers the next call properly: with a completion, or, when the fault opened the
     * endpoint's circuit (a persistent 5xx or reset reaches its failure threshold), with an OpenAI-shaped 503.
     */
    private void assertStillServing() {
        assertThat(sluice.get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> next = sluice.post("/v1/chat/completions", TestGateway.chat("still there?"));
        if (next.statusCode() != 200) {
            assertThat(next.statusCode()).isEqualTo(503);
            assertThat(next.body()).contains("\"code\":\"no_upstream_available\"");
        }
    }
}
