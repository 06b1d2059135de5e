package io.sluice.app.e2e;

import static io.sluice.app.e2e.CachingGateway.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.db.PostgresTestSchema;
import io.sluice.testkit.simulator.Fault;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Priority lanes over HTTP, against the simulator's RPM limit: one upstream key at 60 requests a minute, spent by 60
 * calls; then 60 calls queue for it, 40 {@code high} (by their key's policy) and 20 {@code low} (by the header their
 * key allows), sent in a mixed order. When the key's minute frees it, every high call is sent upstream before any low
 * one, and the low calls still get through. About a minute: the key's window is a minute long.
 */
class PriorityLanesTest {
    private static final String CONFIG = """

              sla:
                tiers:
                  patient: {connect-timeout: 2s, first-chunk-timeout: 10s, deadline: 100s}
              models:
                lane-model: {provider: limited, upstream-name: gpt-4o-mini}
            """;

    @TempDir
    Path dir;

    @Test
    void queuedHighCallsAreSentBeforeAnyLowOneAndLowOnesStillGetThrough() throws Exception {
        // fillers answered in 30 ms each, one after another: the key's minute frees one slot at a time, 30 ms apart, so
        // that the calls it lets through reach the simulator in the order the gateway sent them
        try (Simulator upstream = new Simulator(SimulatorConfig.ofDefaults().withRpmPerKey(60).withLatency(Duration.ofMillis(30)))) {
            upstream.start(0);
            String providers = "    limited: {type: openai, base-url: \"" + upstream.baseUrl() + "\", timeout: 10s, keys: [{key: sk-limited, rpm: 60}]}";
            try (CachingGateway sluice = new CachingGateway(dir, CONFIG, new PostgresTestSchema(), null, providers)) {
                String high = created(sluice, "{\"owner\":\"vip\",\"priority\":{\"default\":\"high\"}}");
                String chooser = created(sluice, "{\"owner\":\"batch\",\"priority\":{\"allow_header\":true}}");
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

                for (int i = 0; i < 60; i++) assertThat(send(http, sluice, chooser, "filler-" + i, null).join().statusCode()).isEqualTo(200);
                upstream.configure(upstream.config().withLatency(Duration.ZERO));

                List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    boolean isHigh = i % 3 != 2; // 40 high, 20 low, mixed
                    queued.add(isHigh ? send(http, sluice, high, "high-" + i, null) : send(http, sluice, chooser, "low-" + i, "low"));
                }
                Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> queued.stream().allMatch(CompletableFuture::isDone));
                for (var q : queued) assertThat(q.join().statusCode()).as(q.join().body()).isEqualTo(200);

                List<String> order = new ArrayList<>();
                for (var body : upstream.recentRequests()) {
                    String text = body.path("messages").path(0).path("content").asText();
                    if (text.startsWith("high-") || text.startsWith("low-")) order.add(text.substring(0, text.indexOf('-')));
                }
                assertThat(order).hasSize(60);
                assertThat(order.subList(0, 40)).as("every high call went upstream before any low one").containsOnly("high");
                assertThat(order.subList(40, 60)).containsOnly("low");
                assertThat(upstream.stats().faults(Fault.RATE_LIMIT)).as("the key was never sent past its limit").isZero();
            }
        }
    }

    private static String created(CachingGateway sluice, String body) throws Exception {
        HttpResponse<String> created = sluice.send("POST", "/admin/keys", body, CachingGateway.ADMIN);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).path("key").asText();
    }

    private static CompletableFuture<HttpResponse<String>> send(HttpClient http, CachingGateway sluice, String key, String text, String lane) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.gateway.port() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(120)).header("content-type", "application/json").header("Authorization", "Bearer " + key)
                .header("X-SLA-Tier", "patient")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"lane-model\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}"));
        if (lane != null) request.header("X-Sluice-Priority", lane);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
