package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.sluice.app.config.LimitSettings;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.domain.budget.Budget;
import io.sluice.engine.limits.RateLimits;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients that hang up are billed for what they got, and their budget holds are settled: 50 streams dropped after
 * their first chunk, 20 after most of theirs, with the budget counters in the database and in Redis; streams of the
 * Messages and Responses APIs dropped alike; and a plain call whose client left is completed and billed all the same.
 */
class CancelledCallsTest {
    private static final List<ModelSpec> MODELS = List.of(new ModelSpec("priced", TestGateway.PROVIDER, "gpt-4o-mini", 128_000,
            Encoding.O200K_BASE, Prices.of("5", "15")));
    /** Twenty words: the simulator answers with forty, one chunk each. */
    private static final String QUESTION = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
            + "sixteen seventeen eighteen nineteen twenty";

    @ParameterizedTest(name = "counters in Redis: {0}")
    @ValueSource(booleans = {false, true})
    void streamsDroppedByTheirClientsAreBilledForWhatWasDeliveredAndReleaseTheirHolds(boolean inRedis) throws Exception {
        String user = "cancel-" + UUID.randomUUID();
        LimitSettings limits = new LimitSettings(RateLimits.NONE, false, List.of(new Budget(Budget.Scope.USER, Budget.Period.TOTAL, new BigDecimal("5"))))
                .withBudgetsInRedis(inRedis);
        try (TestGateway gateway = TestGateway.onPostgresWithLimits(MODELS, limits);
             ExecutorService pool = Executors.newFixedThreadPool(35)) {
            gateway.simulator.configure(SimulatorConfig.ofDefaults().withStreamTiming(Duration.ZERO, Duration.ofMillis(15)));
            String body = "{\"model\":\"priced\",\"stream\":true,\"max_tokens\":200,\"user\":\"" + user + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + QUESTION + "\"}]}";
            List<Future<Integer>> clients = new ArrayList<>();
            for (int i = 0; i < 70; i++) {
                int hangUpAfter = i < 50 ? 1 : 30;
                clients.add(pool.submit(() -> RawHttp.streamThenHangUp(gateway.gateway.port(), body, hangUpAfter)));
            }
            for (Future<Integer> c : clients) assertThat(c.get()).as("chunks each client read before hanging up").isIn(1, 30);

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Sql.value(gateway.storage,
                    "SELECT COUNT(*) FROM usage_ledger WHERE end_user = ?", user)).isEqualTo(70L));
            List<Map<String, Object>> rows = Sql.rows(gateway.storage,
                    "SELECT outcome, input_tokens, output_tokens, cost FROM usage_ledger WHERE end_user = ? ORDER BY output_tokens", user);
            assertThat(rows).allSatisfy(row -> {
                assertThat(row.get("outcome")).isEqualTo("CANCELLED");
                assertThat((Integer) row.get("input_tokens")).as("the prompt is billed").isPositive();
            });
            List<Integer> delivered = rows.stream().map(r -> (Integer) r.get("output_tokens")).toList();
            assertThat(delivered.subList(0, 50)).as("dropped after the first chunk: billed for a few tokens, not the whole answer")
                    .allSatisfy(t -> assertThat(t).isBetween(1, 24));
            assertThat(delivered.subList(50, 70)).as("dropped after 30 of 40 chunks").allSatisfy(t -> assertThat(t).isBetween(25, 45));

            assertThat(gateway.get("/metrics").body()).as("each call's one end, counted by outcome")
                    .contains("sluice_calls_ended_total{outcome=\"cancelled\"} 70.0");
            String counter = "user:default/" + user + ":total";
            BigDecimal ledgerSpend = (BigDecimal) Sql.value(gateway.storage, "SELECT SUM(cost) FROM usage_ledger WHERE end_user = ?", user);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(counterField(gateway, inRedis, counter, "reserved")).as("every hold settled").isEqualByComparingTo("0");
                assertThat(counterField(gateway, inRedis, counter, "spent")).as("the counter spent what the ledger billed").isEqualByComparingTo(ledgerSpend);
            });
        }
    }

    @Test
    void aPlainCallWhoseClientLeftIsStillCompletedAndBilled() throws Exception {
        String user = "left-" + UUID.randomUUID();
        try (TestGateway gateway = TestGateway.onPostgresWithLimits(MODELS, LimitSettings.NONE)) {
            gateway.simulator.configure(SimulatorConfig.ofDefaults().withLatency(Duration.ofMillis(300)));
            RawHttp.postThenHangUp(gateway.gateway.port(), "{\"model\":\"priced\",\"user\":\"" + user
                    + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Where is my parcel?\"}]}");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Sql.rows(gateway.storage,
                    "SELECT outcome, output_tokens FROM usage_ledger WHERE end_user = ?", user))
                    .singleElement().satisfies(row -> {
                        assertThat(row.get("outcome")).isEqualTo("OK");
                        assertThat((Integer) row.get("output_tokens")).isPositive();
                    }));
        }
    }

    /** The Messages and Responses APIs end a dropped stream as chat does: billed for what was delivered, stored marked truncated. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "/v1/messages  | {\"model\":\"priced\",\"stream\":true,\"max_tokens\":200,\"metadata\":{\"user_id\":\"USER\"},\"messages\":[{\"role\":\"user\",\"content\":\"QUESTION\"}]} | content_block_delta",
            "/v1/responses | {\"model\":\"priced\",\"stream\":true,\"user\":\"USER\",\"input\":\"QUESTION\"} | response.output_text.delta"})
    void aStreamOfTheOtherApisDroppedByItsClientIsBilledForWhatWasDeliveredAndStoredAsTruncated(String path, String template, String marker)
            throws Exception {
        String user = "cancel-api-" + UUID.randomUUID();
        try (TestGateway gateway = TestGateway.onPostgresWithLimits(MODELS, LimitSettings.NONE)) {
            gateway.simulator.configure(SimulatorConfig.ofDefaults().withStreamTiming(Duration.ZERO, Duration.ofMillis(15)));
            String body = template.replace("USER", user).replace("QUESTION", QUESTION);
            assertThat(RawHttp.streamThenHangUp(gateway.gateway.port(), path, body, marker, 3, "X-Conversation-Id", "new")).isEqualTo(3);

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Sql.rows(gateway.storage,
                    "SELECT outcome, output_tokens, conversation_id FROM usage_ledger WHERE end_user = ?", user)).singleElement().satisfies(row -> {
                assertThat(row.get("outcome")).isEqualTo("CANCELLED");
                assertThat((Integer) row.get("output_tokens")).as("a few tokens, not the whole answer").isBetween(1, 24);
                assertThat(row.get("conversation_id")).isNotNull();
            }));
            Object conversation = Sql.value(gateway.storage, "SELECT conversation_id FROM usage_ledger WHERE end_user = ?", user);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat((String) Sql.value(gateway.storage,
                    "SELECT metadata FROM messages WHERE conversation_id = ? AND role = 'assistant'", conversation))
                    .contains("\"truncated\":\"true\"").contains("\"ended\":\"cancelled\""));
        }
    }

    /** A budget counter's spent or reserved dollars, from wherever the gateway keeps them. */
    private static BigDecimal counterField(TestGateway gateway, boolean inRedis, String counter, String field) {
        if (!inRedis) {
            Object value = Sql.value(gateway.storage, "SELECT " + field + " FROM budget_counters WHERE counter = ?", counter);
            return value == null ? BigDecimal.ZERO : (BigDecimal) value;
        }
        RedisClient client = RedisClient.create(TestGateway.REDIS_CACHE.redisUri());
        try (var connection = client.connect()) {
            String nanos = connection.sync().hget("sluice:budget:" + counter, field.equals("spent") ? "s" : "r");
            return nanos == null ? BigDecimal.ZERO : new BigDecimal(nanos).movePointLeft(9);
        } finally {
            client.shutdown();
        }
    }
}
