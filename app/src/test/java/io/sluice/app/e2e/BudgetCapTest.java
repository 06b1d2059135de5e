package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.sluice.app.config.LimitSettings;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.domain.budget.Budget;
import io.sluice.engine.limits.RateLimits;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A hard cap holds across two gateway processes sharing one PostgreSQL and one Redis, under 200 concurrent calls,
 * and is used up; with the budget counters in the database (the default) and in Redis.
 */
class BudgetCapTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigDecimal CAP = new BigDecimal("0.01");
    private static final List<ModelSpec> MODELS = List.of(new ModelSpec("priced", TestGateway.PROVIDER, "gpt-4o-mini", 128_000,
            Encoding.O200K_BASE, Prices.of("5", "15")));

    @ParameterizedTest(name = "counters in Redis: {0}")
    @ValueSource(booleans = {false, true})
    void twoHundredConcurrentCallsOnTwoGatewayProcessesNeverSpendPastTheCapAndUseAtLeast90PercentOfIt(boolean inRedis) throws Exception {
        LimitSettings limits = new LimitSettings(RateLimits.NONE, false, List.of(new Budget(Budget.Scope.GLOBAL, Budget.Period.TOTAL, CAP)))
                .withBudgetsInRedis(inRedis);
        if (inRedis) forgetRedisCounter("sluice:budget:global:total"); // the test Redis outlives a run
        try (TestGateway first = TestGateway.onPostgresWithLimits(MODELS, limits);
             GatewayProcess second = new GatewayProcess(replicaConfig(first, inRedis));
             ExecutorService pool = Executors.newFixedThreadPool(200)) {
            String body = "{\"model\":\"priced\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\",\"content\":\"Where is my parcel?\"}]}";
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String url = (i % 2 == 0 ? "http://127.0.0.1:" + first.gateway.port() : second.baseUrl()) + "/v1/chat/completions";
                calls.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString())));
            }
            Map<Integer, Integer> byStatus = new TreeMap<>();
            for (Future<HttpResponse<String>> call : calls) {
                HttpResponse<String> r = call.get();
                byStatus.merge(r.statusCode(), 1, Integer::sum);
                if (r.statusCode() != 200) assertThat(r.body()).contains("\"code\":\"budget_exceeded\"");
            }
            assertThat(byStatus.keySet()).as("answers: %s", byStatus).containsOnly(200, 402);

            BigDecimal spent = new BigDecimal(JSON.readTree(first.get("/admin/usage").body()).path("total").path("cost_usd").asText());
            System.out.printf("budget cap (two processes, counters in %s): %s of %s spent by %d calls (%s)%n", inRedis ? "Redis" : "the database",
                    spent.toPlainString(), CAP, byStatus.get(200), byStatus);
            assertThat(spent).as("the ledger's total spend").isLessThanOrEqualTo(CAP);
            assertThat(spent).as("the cap is used, not blocked by reservations").isGreaterThanOrEqualTo(new BigDecimal("0.009"));
            BigDecimal simulated = BigDecimal.valueOf(first.simulator.stats().promptTokens() * 5 + first.simulator.stats().completionTokens() * 15)
                    .movePointLeft(6);
            assertThat(spent).as("the ledger equals what the upstream counted, for both processes' calls").isEqualByComparingTo(simulated);
        }
    }

    /** The second process: the same database, Redis, cap and model, served by the first gateway's simulator. */
    private static String replicaConfig(TestGateway first, boolean inRedis) {
        return """
                sluice:
                  storage:
                    type: postgres
                    postgres: {url: "%s", user: "%s", password: "%s", pool-size: 8}
                  redis: {uri: "%s", command-timeout: 3s}
                  providers:
                    sim: {type: openai, base-url: "%s", api-key: sk-sim-secret}
                  models:
                    priced: {provider: sim, upstream-name: gpt-4o-mini, input-price: 5, output-price: 15}
                  budgets:
                    store: %s
                    global: {total: "%s"}
                """.formatted(first.storage.jdbcUrl(), first.storage.user(), first.storage.password() == null ? "" : first.storage.password(),
                TestGateway.REDIS_CACHE.redisUri(), first.simulator.baseUrl(), inRedis ? "redis" : "database", CAP.toPlainString());
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
