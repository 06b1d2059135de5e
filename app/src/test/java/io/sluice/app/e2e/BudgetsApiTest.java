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
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The budgets report ({@code /admin/budgets}, {@code /v1/budgets}) and the admin's read of an owner's conversations,
 * against a gateway on PostgreSQL: every cap in its period with what the ledger billed, its own caps only for a key,
 * precise 400s for bad parameters, 401 for a key on the admin API.
 */
class BudgetsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin-key-for-the-budgets-test-19ab";
    private static final List<ModelSpec> MODELS = List.of(new ModelSpec("priced", TestGateway.PROVIDER, "gpt-4o-mini", 128_000,
            Encoding.O200K_BASE, Prices.of("5", "15")));
    private static final LimitSettings LIMITS = new LimitSettings(RateLimits.NONE, false, List.of(
            new Budget(Budget.Scope.KEY, Budget.Period.DAY, new BigDecimal("1")),
            new Budget(Budget.Scope.USER, Budget.Period.MONTH, new BigDecimal("0.5")),
            new Budget(Budget.Scope.CONVERSATION, Budget.Period.TOTAL, new BigDecimal("0.1"))));

    private static String[] bearer(String key) {
        return new String[] {"Authorization", "Bearer " + key};
    }

    @Test
    void everyCapIsReportedWithWhatTheLedgerBilledAndAKeySeesOnlyItsOwn() throws Exception {
        try (TestGateway sluice = TestGateway.onPostgresWithKeys(ADMIN, MODELS, LIMITS)) {
            JsonNode acme = JSON.readTree(sluice.post("/admin/keys", "{\"owner\":\"acme\",\"budgets\":{\"day\":\"0.25\"}}", bearer(ADMIN)).body());
            String other = JSON.readTree(sluice.post("/admin/keys", "{\"owner\":\"globex\"}", bearer(ADMIN)).body()).path("key").asText();
            String chat = "{\"model\":\"priced\",\"user\":\"u1\",\"messages\":[{\"role\":\"user\",\"content\":\"Where is parcel 7?\"}]}";
            for (int i = 0; i < 3; i++) assertThat(sluice.post("/v1/chat/completions", chat, bearer(acme.path("key").asText())).statusCode()).isEqualTo(200);
            HttpResponse<String> turn = sluice.post("/v1/chat/completions", chat, "Authorization", "Bearer " + acme.path("key").asText(),
                    "X-Conversation-Id", "new");
            assertThat(turn.statusCode()).isEqualTo(200);
            String conversation = turn.headers().firstValue("X-Conversation-Id").orElseThrow();

            String today = LocalDate.now(ZoneOffset.UTC).toString();
            // a call's hold is settled, and its bill written, as its answer goes out: both are read once they are in
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
                JsonNode key = byId(sluice.get("/admin/budgets", bearer(ADMIN))).get("key:acme:day:" + today);
                return key != null && new BigDecimal(key.path("reserved_usd").asText()).signum() == 0
                        && new BigDecimal(key.path("spent_usd").asText()).compareTo(ledgerTotal(sluice)) == 0;
            });
            BigDecimal billed = ledgerTotal(sluice);
            Map<String, JsonNode> all = byId(sluice.get("/admin/budgets", bearer(ADMIN)));
            String month = today.substring(0, 7);
            String apiKey = "apikey:" + acme.path("id").asText() + ":day:" + today;
            assertThat(all).containsOnlyKeys("key:acme:day:" + today, "user:acme/u1:month:" + month, apiKey, "conversation:" + conversation + ":total");

            JsonNode key = all.get("key:acme:day:" + today);
            assertThat(key.path("scope").asText()).isEqualTo("key");
            assertThat(key.path("subject").asText()).isEqualTo("acme");
            assertThat(key.path("period").asText()).isEqualTo("day");
            assertThat(new BigDecimal(key.path("limit_usd").asText())).isEqualByComparingTo("1");
            assertThat(new BigDecimal(key.path("spent_usd").asText())).as("what the ledger billed").isEqualByComparingTo(billed);
            assertThat(new BigDecimal(key.path("reserved_usd").asText())).as("no call in flight").isZero();
            assertThat(new BigDecimal(key.path("remaining_usd").asText())).isEqualByComparingTo(BigDecimal.ONE.subtract(billed));
            assertThat(key.path("period_ends_at").asLong())
                    .isEqualTo(LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC));
            JsonNode projected = key.path("projected_exhaustion_at");
            assertThat(projected.isNull() || projected.asLong() > Instant.now().getEpochSecond() - 5).as("ahead, or not this period").isTrue();

            assertThat(new BigDecimal(all.get(apiKey).path("limit_usd").asText())).as("the key's own policy").isEqualByComparingTo("0.25");
            assertThat(all.get("user:acme/u1:month:" + month).path("subject").asText()).isEqualTo("acme/u1");
            JsonNode total = all.get("conversation:" + conversation + ":total");
            assertThat(total.path("projected_exhaustion_at").isNull()).as("a total has no pace").isTrue();
            assertThat(total.path("used_ratio").asDouble()).isPositive().isLessThan(1);
            List<Double> ratios = new java.util.ArrayList<>();
            JSON.readTree(sluice.get("/admin/budgets", bearer(ADMIN)).body()).path("data").forEach(b -> ratios.add(b.path("used_ratio").asDouble()));
            assertThat(ratios).as("the most used first").isSortedAccordingTo(java.util.Comparator.reverseOrder());

            assertThat(byId(sluice.get("/admin/budgets?scope=apikey", bearer(ADMIN)))).containsOnlyKeys(apiKey);
            assertThat(byId(sluice.get("/admin/budgets?limit=1", bearer(ADMIN)))).hasSize(1);
            assertThat(byId(sluice.get("/v1/budgets", bearer(acme.path("key").asText()))))
                    .as("its owner's, its users' and its own key's caps").containsOnlyKeys("key:acme:day:" + today, "user:acme/u1:month:" + month, apiKey);
            assertThat(byId(sluice.get("/v1/budgets", bearer(other)))).as("another owner's: none of acme's").isEmpty();

            refused(sluice.get("/admin/budgets?scope=everything", bearer(ADMIN)), "scope");
            refused(sluice.get("/admin/budgets?limit=0", bearer(ADMIN)), "limit");
            refused(sluice.get("/admin/budgets?limit=lots", bearer(ADMIN)), "limit");
            assertThat(sluice.get("/admin/budgets", bearer(other)).statusCode()).isEqualTo(401);

            // the admin reads any owner's conversations, by user; never with a gateway key
            JsonNode listed = JSON.readTree(sluice.get("/admin/owners/acme/conversations?user=u1", bearer(ADMIN)).body());
            assertThat(listed.path("data").get(0).path("id").asText()).isEqualTo(conversation);
            JsonNode items = JSON.readTree(sluice.get("/admin/owners/acme/conversations/" + conversation + "/items", bearer(ADMIN)).body());
            JsonNode answer = items.path("data").get(1).path("metadata");
            assertThat(answer.path("context_strategy").asText()).isNotBlank();
            assertThat(new BigDecimal(answer.path("cost_usd").asText())).isPositive();
            assertThat(sluice.get("/admin/owners/globex/conversations/" + conversation + "/items", bearer(ADMIN)).statusCode())
                    .as("another owner's conversation is not found under this one").isEqualTo(404);
            refused(sluice.get("/admin/owners/" + "o".repeat(201) + "/conversations", bearer(ADMIN)), "owner");
            assertThat(sluice.get("/admin/owners/acme/conversations", bearer(other)).statusCode()).isEqualTo(401);
        }
    }

    private static BigDecimal ledgerTotal(TestGateway sluice) throws Exception {
        return new BigDecimal(JSON.readTree(sluice.get("/admin/usage", bearer(ADMIN)).body()).path("total").path("cost_usd").asText());
    }

    private static Map<String, JsonNode> byId(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode b : JSON.readTree(response.body()).path("data")) byId.put(b.path("id").asText(), b);
        return byId;
    }

    private static void refused(HttpResponse<String> response, String param) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asText()).isEqualTo(param);
    }
}
