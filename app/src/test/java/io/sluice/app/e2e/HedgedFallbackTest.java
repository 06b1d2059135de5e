package io.sluice.app.e2e;

import static io.sluice.app.e2e.CachingGateway.JSON;
import static io.sluice.app.e2e.CachingGateway.streamedContent;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.db.PostgresTestSchema;
import io.sluice.testkit.simulator.Fault;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tier's {@code fallback-after} over HTTP on PostgreSQL, against two simulators: the chain's first model answers in
 * 3 s, the second in 50 ms. With {@code fallback-after: 1s} the call is answered by the second model (plain and
 * streamed), the first model's request is called off upstream, and the ledger bills it for its prompt as the call's
 * second attempt; a first model that answers in time is never doubled, and a fallback that fails leaves the call to
 * the first model.
 */
class HedgedFallbackTest {
    private static final String ROUTES = """

              sla:
                retry: {max-attempts: 2, base-delay: 10ms, max-delay: 20ms}
                tiers:
                  hedged: {fallback-after: 1s, connect-timeout: 1s, first-chunk-timeout: 5s, deadline: 8s}
              models:
                thorough: {provider: slow, upstream-name: gpt-4o}
                quick: {provider: sim, upstream-name: gpt-4o-mini}
              routes:
                support:
                  tier: hedged
                  chain: [{model: thorough}, {model: quick, capability: simple}]
            """;
    /** A complex question (a complex keyword), so that the route starts it at its first model. */
    private static final String QUESTION = "Please explain why my refund for order 1234 is late";

    @TempDir
    Path dir;
    private Simulator slow;
    private CachingGateway sluice;

    @BeforeEach
    void start() throws Exception {
        slow = new Simulator(SimulatorConfig.ofDefaults().withLatency(Duration.ofSeconds(3)).withStreamTiming(Duration.ofSeconds(3), Duration.ZERO));
        slow.start(0);
        sluice = new CachingGateway(dir, ROUTES, new PostgresTestSchema(), null,
                "    slow: {type: openai, base-url: \"" + slow.baseUrl() + "\", api-key: sk-slow-secret, timeout: 10s}");
        sluice.simulator.configure(SimulatorConfig.ofDefaults().withLatency(Duration.ofMillis(50))
                .withStreamTiming(Duration.ofMillis(50), Duration.ZERO));
    }

    @AfterEach
    void stop() throws Exception {
        sluice.close();
        slow.close();
    }

    private static String call(boolean stream) {
        return "{\"model\":\"support\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}";
    }

    private List<Map<String, Object>> bills(String owner, int count) {
        sluice.bills(owner, count);
        return Sql.rows(sluice.storage(), "SELECT attempt, model, outcome, cost, input_tokens, output_tokens FROM usage_ledger WHERE owner = ? "
                + "ORDER BY request_id, attempt", owner);
    }

    @Test
    void aSlowFirstModelIsOvertakenByTheNextAfterFallbackAfterAndBilledForItsPrompt() throws Exception {
        String key = sluice.key("acme");
        List<BigDecimal> costs = new java.util.ArrayList<>();
        for (boolean stream : List.of(false, true)) {
            long started = System.nanoTime();
            HttpResponse<String> answer = sluice.chat(key, call(stream));
            long tookMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.headers().firstValue("X-Sluice-Model")).contains("quick");
            assertThat(answer.headers().firstValue("X-Sluice-Fallbacks")).contains("1");
            assertThat(tookMillis).as("the second model starts only after fallback-after").isGreaterThanOrEqualTo(1000);
            costs.add(stream ? null : new BigDecimal(answer.headers().firstValue("X-Sluice-Cost").orElseThrow()));
            String text = stream ? streamedContent(answer.body())
                    : JSON.readTree(answer.body()).path("choices").path(0).path("message").path("content").asText();
            assertThat(text).isNotBlank();
        }
        // the first model's requests were called off upstream, not left to run
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> slow.abandoned() == 2);
        assertThat(slow.stats().served()).isZero();

        List<Map<String, Object>> rows = bills("acme", 4);
        assertThat(rows).hasSize(4);
        for (int i = 0; i < 4; i += 2) {
            Map<String, Object> answered = rows.get(i);
            Map<String, Object> calledOff = rows.get(i + 1);
            assertThat(answered).containsEntry("attempt", 1).containsEntry("model", "quick").containsEntry("outcome", "OK");
            assertThat(calledOff).containsEntry("attempt", 2).containsEntry("model", "thorough").containsEntry("outcome", "CANCELLED")
                    .containsEntry("output_tokens", 0);
            assertThat((Integer) calledOff.get("input_tokens")).isPositive();
            // gpt-4o's input price, $2.50 per million prompt tokens
            assertThat((BigDecimal) calledOff.get("cost")).isEqualByComparingTo(new BigDecimal("2.50").multiply(
                    BigDecimal.valueOf((Integer) calledOff.get("input_tokens"))).movePointLeft(6));
        }
        // the plain call's cost told to its client is both rows: the answer and the prompt called off
        BigDecimal billedToPlainCall = Sql.rows(sluice.storage(), "SELECT SUM(cost) AS total FROM usage_ledger WHERE request_id = "
                + "(SELECT request_id FROM usage_ledger WHERE owner = 'acme' ORDER BY created_at LIMIT 1)").getFirst().get("total") instanceof BigDecimal b ? b : null;
        assertThat(costs.getFirst()).isEqualByComparingTo(billedToPlainCall);
        String metrics = sluice.send("GET", "/metrics", null, CachingGateway.ADMIN).body();
        assertThat(metrics).contains("reason=\"fallback_after\"");
    }

    @Test
    void aBudgetReservesForBothModelsOfAHedgedCall() throws Exception {
        // the worst case of one model: 1,000 reply tokens at gpt-4o's $10 per million, and the prompt: just over $0.01
        HttpResponse<String> created = sluice.send("POST", "/admin/keys", "{\"owner\":\"capped\",\"budgets\":{\"day\":\"0.015\"}}",
                CachingGateway.ADMIN);
        String key = JSON.readTree(created.body()).path("key").asText();
        String capped = call(false).replace("\"stream\":false", "\"stream\":false,\"max_tokens\":1000");
        HttpResponse<String> hedged = sluice.chat(key, capped);
        assertThat(hedged.statusCode()).as("two models may run at once: twice the worst case does not fit").isEqualTo(402);
        HttpResponse<String> single = sluice.chat(key, capped, "X-SLA-Tier", "deep");
        assertThat(single.statusCode()).as(single.body()).isEqualTo(200);
        assertThat(single.headers().firstValue("X-Sluice-Model")).contains("thorough");
    }

    @Test
    void aClientThatLeavesBeforeAnyChunkCallsOffBothModelsUpstream() throws Exception {
        sluice.simulator.configure(SimulatorConfig.ofDefaults().withStreamTiming(Duration.ofSeconds(3), Duration.ZERO));
        String key = sluice.key("acme");
        try (java.net.Socket client = RawHttp.postAndHold(sluice.gateway.port(), call(true), "Authorization", "Bearer " + key)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> slow.stats().requests() == 1 && sluice.simulator.stats().requests() == 1);
        } // hangs up: both models are still working on their first chunk
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> slow.abandoned() == 1 && sluice.simulator.abandoned() == 1);
        assertThat(slow.stats().served() + sluice.simulator.stats().served()).isZero();
    }

    @Test
    void aFirstModelThatAnswersInTimeIsNeverDoubled() throws Exception {
        slow.configure(SimulatorConfig.ofDefaults().withLatency(Duration.ofMillis(50)).withStreamTiming(Duration.ofMillis(50), Duration.ZERO));
        String key = sluice.key("acme");
        for (boolean stream : List.of(false, true)) {
            HttpResponse<String> answer = sluice.chat(key, call(stream));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.headers().firstValue("X-Sluice-Model")).contains("thorough");
            assertThat(answer.headers().firstValue("X-Sluice-Fallbacks")).contains("0");
        }
        assertThat(bills("acme", 2)).extracting(row -> row.get("outcome")).containsExactly("OK", "OK");
        assertThat(sluice.simulator.stats().requests()).isZero();
    }

    @Test
    void aFallbackThatFailsLeavesTheCallToTheSlowFirstModel() throws Exception {
        sluice.simulator.configure(sluice.simulator.config().withKeyFault("sk-sim-secret", Fault.BAD_GATEWAY));
        String key = sluice.key("acme");
        for (boolean stream : List.of(false, true)) {
            HttpResponse<String> answer = sluice.chat(key, call(stream));
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.headers().firstValue("X-Sluice-Model")).contains("thorough");
        }
        assertThat(bills("acme", 2)).extracting(row -> row.get("outcome")).containsExactly("OK", "OK");
        assertThat(sluice.simulator.stats().faults(Fault.BAD_GATEWAY)).isPositive();
        assertThat(slow.abandoned()).isZero();
    }
}
