package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.testkit.simulator.Fault;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every billed call lands in the ledger with its exact cost, and the usage reports total it, over real HTTP on PostgreSQL. */
class UsageLedgerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestGateway sluice;

    @BeforeAll
    static void start() {
        sluice = TestGateway.on("postgres", List.of(new ModelSpec("priced", TestGateway.PROVIDER, "gpt-4o-mini", 128_000, Encoding.O200K_BASE,
                Prices.of("5", "15"))));
    }

    @AfterAll
    static void stop() throws Exception {
        sluice.close();
    }

    private static String body(String text, boolean stream) {
        return "{\"model\":\"priced\"," + (stream ? "\"stream\":true,\"stream_options\":{\"include_usage\":true}," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":" + TestGateway.quote(text) + "}]}";
    }

    /** A streamed call's whole answer, head and body, as it came over the wire. */
    private static String stream(String body, String... headers) throws java.io.IOException {
        return RawHttp.exchange(sluice.gateway.port(), RawHttp.post("/v1/chat/completions", body, headers), java.time.Duration.ofSeconds(20));
    }

    @Test
    void plainStoredStreamedAndCutCallsAreAllBilledAsTheUpstreamCountedThem() throws Exception {
        assertThat(sluice.post("/v1/chat/completions", body("Where is my parcel?", false)).statusCode()).isEqualTo(200);
        assertThat(sluice.post("/v1/chat/completions", body("Please remember my order number 1234", false), "X-Conversation-Id", "new")
                .statusCode()).isEqualTo(200);
        assertThat(sluice.post("/v1/chat/completions", body("Tell me about refunds", true)).body()).endsWith("data: [DONE]\n\n");
        String cut = stream(body("a long story please " + Fault.STREAM_CUT.directive(), true), "X-Conversation-Id", "new");
        assertThat(cut).contains("\"error\"").doesNotContain("[DONE]");

        JsonNode report = JSON.readTree(sluice.get("/v1/usage?group_by=model").body());
        JsonNode total = report.path("total");
        long prompt = sluice.simulator.stats().promptTokens();
        long completion = sluice.simulator.stats().completionTokens();
        assertThat(total.path("requests").asLong()).isEqualTo(4);
        assertThat(total.path("input_tokens").asLong()).isEqualTo(prompt);
        assertThat(total.path("output_tokens").asLong()).isEqualTo(completion);
        BigDecimal expected = BigDecimal.valueOf(prompt * 5 + completion * 15).divide(BigDecimal.valueOf(1_000_000)).setScale(9);
        assertThat(new BigDecimal(total.path("cost_usd").asText())).isEqualByComparingTo(expected);
        assertThat(report.path("data").get(0).path("model").asText()).isEqualTo("priced");

        JsonNode daily = JSON.readTree(sluice.get("/v1/usage/daily?days=7").body());
        assertThat(daily.path("data")).hasSize(1);
        assertThat(daily.path("data").get(0).path("requests").asLong()).isEqualTo(4);
        String admin = sluice.get("/admin/usage?group_by=key,conversation").body();
        JsonNode everyone = JSON.readTree(admin);
        assertThat(everyone.path("data")).hasSize(3); // the two conversations, and the stateless calls together
    }

    @Test
    void underRetriesAndCutStreamsTheLedgerStillEqualsWhatTheUpstreamCounted() throws Exception {
        JsonNode before = JSON.readTree(sluice.get("/admin/usage").body()).path("total");
        long promptBefore = sluice.simulator.stats().promptTokens();
        long completionBefore = sluice.simulator.stats().completionTokens();
        sluice.simulator.configure(SimulatorConfig.ofDefaults().withFaultRate(Fault.SERVER_ERROR, 0.15).withFaultRate(Fault.STREAM_CUT, 0.2));
        try {
            int cut = 0;
            for (int i = 0; i < 40; i++) {
                boolean stream = i % 2 == 0;
                String[] stored = i % 4 == 0 ? new String[] {"X-Conversation-Id", "new"} : new String[0];
                if (stream) {
                    // a cut stream is aborted after its error event: read on a raw socket, which shows what came before
                    String answer = stream(body("Where is parcel " + i + "?", true), stored);
                    assertThat(answer).startsWith("HTTP/1.1 200");
                    if (answer.contains("\"error\"")) cut++;
                } else {
                    HttpResponse<String> r = sluice.post("/v1/chat/completions", body("Where is parcel " + i + "?", false), stored);
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                }
            }
            assertThat(sluice.simulator.stats().faults().getOrDefault(Fault.SERVER_ERROR, 0L)).as("calls were retried").isPositive();
            assertThat(cut).as("some streams were cut").isPositive();
        } finally {
            sluice.simulator.configure(SimulatorConfig.ofDefaults());
        }
        JsonNode after = JSON.readTree(sluice.get("/admin/usage").body()).path("total");
        long prompt = sluice.simulator.stats().promptTokens() - promptBefore;
        long completion = sluice.simulator.stats().completionTokens() - completionBefore;
        assertThat(after.path("input_tokens").asLong() - before.path("input_tokens").asLong()).isEqualTo(prompt);
        assertThat(after.path("output_tokens").asLong() - before.path("output_tokens").asLong()).isEqualTo(completion);
        BigDecimal cost = new BigDecimal(after.path("cost_usd").asText()).subtract(new BigDecimal(before.path("cost_usd").asText()));
        assertThat(cost).isEqualByComparingTo(BigDecimal.valueOf(prompt * 5 + completion * 15).movePointLeft(6));
    }

    @Test
    void badReportParametersAreClear400s() {
        assertThat(sluice.get("/v1/usage?group_by=planet").body()).contains("group_by").contains("planet");
        assertThat(sluice.get("/v1/usage?group_by=planet").statusCode()).isEqualTo(400);
        assertThat(sluice.get("/v1/usage?start_time=20&end_time=10").statusCode()).isEqualTo(400);
        assertThat(sluice.get("/v1/usage?start_time=yesterday").statusCode()).isEqualTo(400);
        assertThat(sluice.get("/v1/usage/daily?days=0").statusCode()).isEqualTo(400);
    }
}
