package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.simulator.SimulatorConfig;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every answer says, in {@code Server-Timing}, how much of its time was the upstream's and how much the gateway's. */
class ServerTimingTest {
    private static final Duration UPSTREAM = Duration.ofMillis(60);
    private static final Pattern ANSWER = Pattern.compile("upstream;dur=(\\d+\\.\\d{3}), store;dur=(\\d+\\.\\d{3}), gateway;dur=(\\d+\\.\\d{3})");
    private static final Pattern FIRST_CHUNK = Pattern.compile("upstream;dur=(\\d+\\.\\d{3}), gateway;dur=(\\d+\\.\\d{3})");
    private static TestGateway sluice;

    @BeforeAll
    static void start() {
        sluice = TestGateway.onPostgres();
        sluice.simulator.configure(SimulatorConfig.ofDefaults().withLatency(UPSTREAM).withStreamTiming(UPSTREAM, Duration.ZERO));
    }

    @AfterAll
    static void stop() throws Exception {
        sluice.close();
    }

    @Test
    void aStoredTurnsAnswerTimesItsUpstreamItsStoreAndTheGatewayWithinWhatTheClientWaited() {
        long sent = System.nanoTime();
        HttpResponse<String> answer = sluice.post("/v1/chat/completions", TestGateway.chat("where is my order?"), "X-Conversation-Id", "new");
        double clientMillis = (System.nanoTime() - sent) / 1e6;

        assertThat(answer.statusCode()).isEqualTo(200);
        Matcher timing = ANSWER.matcher(answer.headers().firstValue("server-timing").orElse(""));
        assertThat(timing.matches()).as(answer.headers().toString()).isTrue();
        double upstream = Double.parseDouble(timing.group(1));
        double store = Double.parseDouble(timing.group(2));
        double gateway = Double.parseDouble(timing.group(3));
        assertThat(upstream).isGreaterThanOrEqualTo(UPSTREAM.toMillis());
        assertThat(store).isPositive(); // the turn went to PostgreSQL before the answer
        assertThat(gateway).isGreaterThanOrEqualTo(store);
        assertThat(upstream + gateway).isLessThanOrEqualTo(clientMillis);
    }

    @Test
    void aStreamsFirstChunkTimesItsUpstreamAndTheGatewayWithinWhatTheClientWaited() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sluice.baseUrl() + "/chat/completions")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        long sent = System.nanoTime();
        HttpResponse<InputStream> stream = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
        double clientMillis = (System.nanoTime() - sent) / 1e6; // the headers come with the first chunk
        try (InputStream body = stream.body()) {
            body.readAllBytes();
        }

        assertThat(stream.statusCode()).isEqualTo(200);
        Matcher timing = FIRST_CHUNK.matcher(stream.headers().firstValue("server-timing").orElse(""));
        assertThat(timing.matches()).as(stream.headers().toString()).isTrue();
        double upstream = Double.parseDouble(timing.group(1));
        double gateway = Double.parseDouble(timing.group(2));
        assertThat(upstream).isGreaterThanOrEqualTo(UPSTREAM.toMillis());
        assertThat(upstream + gateway).isLessThanOrEqualTo(clientMillis);
    }
}
