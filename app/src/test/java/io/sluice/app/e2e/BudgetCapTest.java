package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.config.LimitSettings;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.domain.budget.Budget;
import io.sluice.engine.limits.RateLimits;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hard cap holds across two gateway replicas on one PostgreSQL, under 200 concurrent calls, and is used up; with
 * the budget counters in the database (the default) and in Redis.
 */
class BudgetCapTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigDecimal CAP = new BigDecimal("0.01");
    private static final List<ModelSpec> MODELS = List.of(new ModelSpec("priced", TestGateway.PROVIDER, "gpt-4o-mini", 128_000,
            Encoding.O200K_BASE, Prices.of("5", "15")));

    @ParameterizedTest(name = "counters in Redis: {0}")
    @ValueSource(booleans = {false, true})
    void twoHundredConcurrentCallsOnTwoReplicasNeverSpendPastTheCapAndUseAtLeast90PercentOfIt(boolean inRedis) throws Exception {
        LimitSettings limits = new LimitSettings(RateLimits.NONE, false, List.of(new Budget(Budget.Scope.GLOBAL, Budget.Period.TOTAL, CAP)))
                .withBudgetsInRedis(inRedis);
        if (inRedis) forgetRedisCounter("sluice:budget:global:total"); // the test Redis outlives a run
        try (TestGateway first = TestGateway.onPostgresWithLimits(MODELS, limits);
             TestGateway second = TestGateway.replicaWithLimits(first, MODELS, limits);
             ExecutorService pool = Executors.newFixedThreadPool(200)) {
            String body = "{\"model\":\"priced\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"Where is my parcel?\"}]}";
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                TestGateway replica = i % 2 == 0 ? first : second;
                calls.add(pool.submit(() -> replica.post("/v1/chat/completions", body)));
            }
            Map<Integer, Integer> byStatus = new TreeMap<>();
            for (Future<HttpResponse<String>> call : calls) {
                HttpResponse<String> r = call.get();
                byStatus.merge(r.statusCode(), 1, Integer::sum);
                if (r.statusCode() != 200) assertThat(r.body()).contains("\"code\":\"budget_exceeded\"");
            }
            assertThat(byStatus.keySet()).as("answers: %s", byStatus).containsOnly(200, 402);

            BigDecimal spent = new BigDecimal(JSON.readTree(first.get("/admin/usage").body()).path("total").path("cost_usd").asText());
            System.out.printf("budget cap (counters in %s): %s of %s spent by %d calls (%s)%n", inRedis ? "Redis" : "the database",
                    spent.toPlainString(), CAP, byStatus.get(200), byStatus);
            assertThat(spent).as("the ledger's total spend").isLessThanOrEqualTo(CAP);
            assertThat(spent).as("the cap is used, not blocked by reservations").isGreaterThanOrEqualTo(new BigDecimal("0.009"));
            BigDecimal simulated = BigDecimal.valueOf(first.simulator.stats().promptTokens() * 5 + first.simulator.stats().completionTokens() * 15
                    + second.simulator.stats().promptTokens() * 5 + second.simulator.stats().completionTokens() * 15).movePointLeft(6);
            assertThat(spent).as("the ledger equals what the upstreams counted").isEqualByComparingTo(simulated);
        }
    }

    private static void forgetRedisCounter(String key) {
        RedisClient client = RedisClient.create(TestGateway.REDIS_CACHE.redisUri());
        try (var connection = client.connect()) {
            connection.sync().del(key);
        } finally {
            client.shutdown();
        }
    }
}
