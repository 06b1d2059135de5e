package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus (Debian's package) scrapes a running gateway, and a query over its cost counter gives what the
 * ledger billed: the figure a dashboard shows is the bill.
 */
class PrometheusScrapeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aPrometheusQueryOverTheCostCounterIsWhatTheLedgerBilled() throws Exception {
        List<ModelSpec> models = List.of(new ModelSpec("gpt-4o", TestGateway.PROVIDER, "gpt-4o", 128_000, Encoding.O200K_BASE, Prices.of("2.50", "10")),
                new ModelSpec("gpt-4o-mini", TestGateway.PROVIDER, "gpt-4o-mini", 128_000, Encoding.O200K_BASE, Prices.of("0.15", "0.60")));
        try (TestGateway sluice = TestGateway.onPostgresWithLimits(models, io.sluice.app.config.LimitSettings.NONE)) {
            for (int i = 0; i < 6; i++) {
                String model = i % 2 == 0 ? "gpt-4o" : "gpt-4o-mini";
                HttpResponse<String> r = sluice.post("/v1/chat/completions", "{\"model\":\"" + model
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Where is parcel " + i + "?\"}]}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
            BigDecimal ledger = new BigDecimal(JSON.readTree(sluice.get("/admin/usage").body()).path("total").path("cost_usd").asText());
            assertThat(ledger).isPositive();

            Path dir = Files.createTempDirectory("prometheus");
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global: {scrape_interval: 1s}
                    scrape_configs:
                      - job_name: sluice
                        static_configs: [{targets: ["127.0.0.1:%d"]}]
                    """.formatted(sluice.gateway.port()));
            Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                String query = "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode("sum(sluice_cost_usd_total{job=\"sluice\"})", StandardCharsets.UTF_8);
                AtomicReference<String> value = new AtomicReference<>();
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                    JsonNode answer = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(query)).build(), HttpResponse.BodyHandlers.ofString()).body());
                    JsonNode result = answer.path("data").path("result");
                    if (result.isEmpty()) return false;
                    value.set(result.get(0).path("value").get(1).asText());
                    return true;
                });
                // Prometheus keeps float64 samples: equal to the exact bill to well under a nano-dollar
                assertThat(new BigDecimal(value.get()).subtract(ledger).abs()).as("Prometheus %s, ledger %s", value.get(), ledger)
                        .isLessThan(new BigDecimal("0.000000001"));
            } finally {
                prometheus.destroy();
                prometheus.waitFor();
            }
        }
    }
}
