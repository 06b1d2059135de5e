package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.config.LimitSettings;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.domain.budget.Budget;
import io.sluice.engine.limits.RateLimits;
import io.sluice.testkit.servers.SecondRedis;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Redis goes away (a second server of the test's own, killed as a crash would) while it holds the context cache, the
 * rate-limit counters and the budget counters: calls that need no budget are served (the cache a miss, the limits
 * this replica's own), calls a budget applies to get a quick 503 that names the cause, readiness says the gateway is
 * degraded, and everything is back without a restart when Redis is. The gateway also starts while Redis is down.
 */
class RedisOutageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final List<ModelSpec> MODELS = List.of(new ModelSpec("priced", TestGateway.PROVIDER, "gpt-4o-mini", 128_000,
            Encoding.O200K_BASE, Prices.of("5", "15")));
    /** Shared limits (600 a minute for the one owner) and a per-user daily cap, all counted in Redis. */
    private static final LimitSettings LIMITS = new LimitSettings(new RateLimits(600, 0, 0, 0, Map.of()), true,
            List.of(new Budget(Budget.Scope.USER, Budget.Period.DAY, new BigDecimal("100")))).withBudgetsInRedis(true);

    @Test
    void callsWithoutABudgetAreServedBudgetedOnesRefusedQuicklyAndAllRecoverWithRedis() throws Exception {
        try (SecondRedis redis = new SecondRedis(); TestGateway sluice = TestGateway.onH2WithRedis(redis.uri(), MODELS, LIMITS)) {
            HttpResponse<String> first = sluice.post("/v1/chat/completions", chat("hello", null), "X-Conversation-Id", "new");
            assertThat(first.statusCode()).isEqualTo(200);
            String conversation = first.headers().firstValue("X-Conversation-Id").orElseThrow();
            assertThat(sluice.post("/v1/chat/completions", chat("hello", "alice")).statusCode()).isEqualTo(200);
            assertReadiness(sluice, 200, "UP", "up");

            redis.stop();

            // Redis stays down 20 s, as in the fault suite, with a round of calls every 200 ms all along
            long outageEnds = System.nanoTime() + OUTAGE.toNanos();
            java.util.concurrent.atomic.AtomicInteger rounds = new java.util.concurrent.atomic.AtomicInteger();
            await().atMost(OUTAGE.plusSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200)).until(() -> {
                int i = rounds.getAndIncrement();
                long started = System.nanoTime();
                assertThat(sluice.post("/v1/chat/completions", chat("stateless " + i, null)).statusCode()).isEqualTo(200);
                HttpResponse<String> stored = sluice.post("/v1/chat/completions", chat("still remembered " + i, null), "X-Conversation-Id", conversation);
                assertThat(stored.statusCode()).as("the context cache is a miss: the store has the conversation").isEqualTo(200);
                HttpResponse<String> budgeted = sluice.post("/v1/chat/completions", chat("on a budget " + i, "alice"));
                assertThat(budgeted.statusCode()).isEqualTo(503);
                assertThat(budgeted.body()).contains("\"code\":\"budgets_unavailable\"").contains("Redis");
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("nothing waits for Redis").isLessThan(Duration.ofSeconds(2));
                return System.nanoTime() >= outageEnds;
            });
            int i = rounds.get();
            assertReadiness(sluice, 200, "DEGRADED", "down");

            redis.start();
            long restarted = System.nanoTime();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertReadiness(sluice, 200, "UP", "up"));
            System.out.println("redis outage: " + i + " rounds of calls in " + OUTAGE.toSeconds() + " s; back "
                    + Duration.ofNanos(System.nanoTime() - restarted).toMillis() + " ms after Redis");
            assertThat(sluice.post("/v1/chat/completions", chat("on a budget again", "alice")).statusCode()).isEqualTo(200);
            HttpResponse<String> stored = sluice.post("/v1/chat/completions", chat("and the window?", null), "X-Conversation-Id", conversation);
            assertThat(stored.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(sluice.get("/v1/conversations/" + conversation).body()).path("stats").path("message_count").asInt())
                    .as("every turn of the outage was stored").isEqualTo(2 + 2 * i + 2);
        }
    }

    @Test
    void theGatewayStartsWhileRedisIsDownAndConnectsWhenItComes() throws Exception {
        try (SecondRedis redis = new SecondRedis()) {
            redis.stop();
            try (TestGateway sluice = TestGateway.onH2WithRedis(redis.uri(), MODELS, LIMITS)) {
                assertThat(sluice.post("/v1/chat/completions", chat("hello", null)).statusCode()).isEqualTo(200);
                assertReadiness(sluice, 200, "DEGRADED", "down");

                redis.start();

                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertReadiness(sluice, 200, "UP", "up"));
                assertThat(sluice.post("/v1/chat/completions", chat("on a budget", "alice")).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void aCallWhoseClientLeftWhileItWaitedOnRedisIsNotSentUpstream() throws Exception {
        try (SecondRedis redis = new SecondRedis(); TestGateway sluice = TestGateway.onH2WithRedis(redis.uri(), MODELS, LIMITS);
             io.sluice.redis.RedisLink admin = io.sluice.redis.RedisLink.open(redis.uri(), Duration.ofSeconds(5))) {
            assertThat(admin.awaitConnection(Duration.ofSeconds(5))).isTrue();
            assertThat(sluice.post("/v1/chat/completions", chat("warm up", null)).statusCode()).isEqualTo(200);
            long upstream = sluice.simulator.stats().requests();

            // Redis stops answering (it keeps its connections): the call waits out the command timeout on its limits
            admin.call(c -> c.clientPause(3_000)).toCompletableFuture().get();
            RawHttp.postThenHangUp(sluice.gateway.port(), chat("are you still there?", null));

            // the call ends once Redis's command timeout has passed and this replica's own limits admitted it
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(sluice.get("/metrics").body())
                    .containsPattern("sluice_calls_ended_total\\{outcome=\"cancelled\"} 1\\.0"));
            assertThat(sluice.simulator.stats().requests()).as("its client had left: nothing went upstream").isEqualTo(upstream);
        }
    }

    private static void assertReadiness(TestGateway sluice, int status, String label, String redis) throws Exception {
        HttpResponse<String> ready = sluice.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(status);
        assertThat(JSON.readTree(ready.body()).path("status").asText()).isEqualTo(label);
        assertThat(JSON.readTree(ready.body()).path("checks").path("redis").asText()).isEqualTo(redis);
    }

    private static String chat(String text, String user) {
        return "{\"model\":\"priced\"," + (user == null ? "" : "\"user\":\"" + user + "\",")
                + "\"messages\":[{\"role\":\"user\",\"content\":" + TestGateway.quote(text) + "}]}";
    }
}
