package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests that are not valid HTTP, or that arrive too slowly, get a 4xx in OpenAI's error shape (or, for a client
 * that sends nothing at all, a closed connection), at once, and never reach the upstream. Read on a raw socket: an
 * HTTP client library would refuse to send most of them.
 */
class TransportErrorsTest {
    private static final Duration IDLE = Duration.ofSeconds(2);
    private static final Duration REQUEST_READ = Duration.ofSeconds(1);
    private static TestGateway sluice;

    @BeforeAll
    static void start() {
        sluice = TestGateway.onH2WithTimeouts(IDLE, REQUEST_READ);
    }

    @AfterAll
    static void stop() throws Exception {
        sluice.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "invalid %-encoding in the path | GET /v1/conversations/%zz HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n                   | 400 | invalid_url",
            "a NUL in the path              | GET /v1/conversations/conv_%00 HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n               | 400 | invalid_url",
            "a control character in the path | DELETE /admin/keys/k%07 HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n                   | 400 | invalid_url",
            "Content-Length not a number    | POST /v1/chat/completions HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: abc\\r\\n\\r\\n{}  | 400 | invalid_http",
            "Content-Length negative        | POST /v1/chat/completions HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: -5\\r\\n\\r\\n{}   | 400 | invalid_http",
            "malformed chunked body         | POST /v1/chat/completions HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\nabc\\r\\n0\\r\\n\\r\\n | 400 | invalid_body",
            "not HTTP at all                | HELLO WORLD\\r\\n\\r\\n                                                              | 400 | invalid_http"})
    void malformedRequestsGetAnOpenAiShaped4xx(String name, String request, int status, String code) throws Exception {
        long upstreamBefore = sluice.simulator.stats().requests();
        String answer = RawHttp.exchange(sluice.gateway.port(), request.replace("\\r\\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1),
                Duration.ofSeconds(5));

        assertOpenAiError(answer, status, code);
        assertThat(sluice.simulator.stats().requests()).isEqualTo(upstreamBefore);
    }

    @Test
    void headersOver8KbGet431() throws Exception {
        String answer = RawHttp.exchange(sluice.gateway.port(),
                ("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9_000) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                Duration.ofSeconds(5));

        assertOpenAiError(answer, 431, "headers_too_large");
    }

    @Test
    void aUrlOver4KbGets414() throws Exception {
        String answer = RawHttp.exchange(sluice.gateway.port(),
                ("GET /v1/models?" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(5));

        assertOpenAiError(answer, 414, "uri_too_long");
    }

    @Test
    void aBodyThatStopsArrivingGets408AndTheConnectionIsClosed() throws Exception {
        long started = System.nanoTime();
        String answer = RawHttp.exchange(sluice.gateway.port(),
                "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"mo".getBytes(StandardCharsets.US_ASCII),
                Duration.ofSeconds(10));

        assertOpenAiError(answer, 408, "request_timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("closed by the gateway, not by the client's wait").isLessThan(Duration.ofSeconds(9));
    }

    @Test
    void aConnectionThatSendsNothingOrHalfAHeadIsClosedWhenIdle() throws Exception {
        for (String request : new String[] {"", "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"}) {
            long started = System.nanoTime();
            String answer = RawHttp.exchange(sluice.gateway.port(), request.getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(10));

            assertThat(answer).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("closed by the gateway's idle timeout").isLessThan(Duration.ofSeconds(9));
        }
    }

    @Test
    void aClientThatHangsUpMidBodyIsNotAnErrorInTheLog() throws Exception {
        // its hang-ups are logged at DEBUG: seeing them says the gateway has handled each
        try (LogCapture log = new LogCapture("io.sluice.http.server.TransportErrors", ch.qos.logback.classic.Level.DEBUG);
             LogCapture all = LogCapture.all()) {
            for (int i = 0; i < 5; i++) {
                try (Socket socket = new Socket("127.0.0.1", sluice.gateway.port())) {
                    socket.getOutputStream().write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"model\":"
                            .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> log.messages().stream().filter(m -> String.valueOf(m)
                    .startsWith("client went away")).count() >= 5);
            assertThat(all.events).filteredOn(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
                    .extracting(e -> e.getFormattedMessage()).isEmpty();
        }
    }

    @Test
    void theGatewayStillServesAfterAllOfThat() {
        assertThat(sluice.post("/v1/chat/completions", TestGateway.chat("hello")).statusCode()).isEqualTo(200);
    }

    private static void assertOpenAiError(String answer, int status, String code) {
        assertThat(answer).startsWith("HTTP/1.").contains(" " + status + " ");
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertThat(body).startsWith("{\"error\":{\"message\":").contains("\"type\":\"invalid_request_error\"").contains("\"code\":\"" + code + "\"")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }
}
