package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.config.LimitSettings;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.domain.budget.Budget;
import io.sluice.engine.limits.RateLimits;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A budget at 80% and at 100% (refusing calls) is reported: a gauge and a counter in {@code /metrics}, and a signed
 * POST to the operator's webhook, once per threshold; a delivery that fails is tried again with the same id; a webhook
 * that is down costs the calls nothing.
 */
class BudgetAlertsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigDecimal CAP = new BigDecimal("0.002");
    private static final String SECRET = "whsec_budget_test";
    private static final List<ModelSpec> MODELS = List.of(new ModelSpec("priced", TestGateway.PROVIDER, "gpt-4o-mini", 128_000,
            Encoding.O200K_BASE, Prices.of("5", "15")));
    private static final String BODY = "{\"model\":\"priced\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"Where is my parcel?\"}]}";

    private static LimitSettings limits(String webhook) {
        return new LimitSettings(RateLimits.NONE, false, List.of(new Budget(Budget.Scope.GLOBAL, Budget.Period.TOTAL, CAP)))
                .withAlerts(new LimitSettings.Alerts(List.of(80, 100), Optional.of(URI.create(webhook)), Optional.of(SECRET)));
    }

    /** Calls until the budget refuses one; returns how many were answered. */
    private static int spendAll(TestGateway gateway) throws Exception {
        for (int i = 0; i < 40; i++) {
            HttpResponse<String> r = gateway.post("/v1/chat/completions", BODY);
            if (r.statusCode() == 402) return i;
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        throw new AssertionError("the budget never refused a call");
    }

    @Test
    void eachThresholdIsPostedOnceSignedAndAFailedDeliveryIsTriedAgainWithTheSameId() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(1); TestGateway gateway = TestGateway.onPostgresWithLimits(MODELS, limits(receiver.url()))) {
            assertThat(spendAll(gateway)).isPositive();
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> receiver.deliveries.stream().map(WebhookReceiver.Delivery::id)
                    .collect(Collectors.toSet()).containsAll(Set.of("global:total@80", "global:total@100")) && receiver.deliveries.size() >= 3);
            // the first delivery met a 503 and came again: the same id and body
            var first = receiver.deliveries.getFirst();
            assertThat(receiver.deliveries.stream().filter(d -> d.id().equals(first.id())).toList()).hasSize(2)
                    .allSatisfy(d -> assertThat(d.body()).isEqualTo(first.body()));
            assertThat(receiver.deliveries.stream().map(WebhookReceiver.Delivery::id).distinct()).containsExactlyInAnyOrder("global:total@80", "global:total@100");
            for (var delivery : receiver.deliveries) {
                assertThat(delivery.event()).isEqualTo("budget.threshold");
                assertThat(delivery.signature()).isEqualTo(sign(delivery.body()));
                JsonNode event = JSON.readTree(delivery.body());
                assertThat(event.path("type").asText()).isEqualTo("budget.threshold");
                assertThat(event.path("budget").asText()).isEqualTo("global:total");
                assertThat(new BigDecimal(event.path("limit_usd").asText())).isEqualByComparingTo(CAP);
                BigDecimal spent = new BigDecimal(event.path("spent_usd").asText());
                assertThat(spent).isLessThanOrEqualTo(CAP);
                if (event.path("threshold_percent").asInt() == 80) assertThat(spent).isGreaterThanOrEqualTo(new BigDecimal("0.0016"));
            }
            String metrics = gateway.get("/metrics").body();
            assertThat(metrics).contains("sluice_budget_used_ratio{budget=\"global:total\"}")
                    .contains("sluice_budget_thresholds_total{budget=\"global:total\",percent=\"80\"} 1.0")
                    .contains("sluice_budget_thresholds_total{budget=\"global:total\",percent=\"100\"} 1.0");
            // calls refused from now on do not report the spent budget again
            gateway.post("/v1/chat/completions", BODY);
            assertThat(receiver.deliveries).hasSize(3);
        }
    }

    @Test
    void aWebhookThatIsDownLosesItsDeliveriesAndNoCall() throws Exception {
        String closed;
        try (WebhookReceiver gone = new WebhookReceiver(0)) {
            closed = gone.url();
        }
        try (LogCapture log = new LogCapture("io.sluice.http.webhook.BudgetWebhook", ch.qos.logback.classic.Level.WARN);
             TestGateway gateway = TestGateway.onPostgresWithLimits(MODELS, limits(closed))) {
            assertThat(spendAll(gateway)).isPositive(); // every call answered or refused by the cap, none held up
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> log.messages().stream().filter(m -> m.contains("not delivered")).count() >= 2);
            assertThat(log.messages()).allSatisfy(m -> assertThat(m).doesNotContain(SECRET));
        }
    }

    private static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
