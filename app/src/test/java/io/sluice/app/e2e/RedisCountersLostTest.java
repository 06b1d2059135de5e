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
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Budget counters in Redis are lost mid-run (their keys deleted, as a flush or a restart without data would): the
 * next call rebuilds them from the ledger, and the cap still holds: the ledger's spend never passes it. The counter ends
 * at the ledger's sum or, for a bill that raced the rebuild, a little above it (the safe side).
 */
class RedisCountersLostTest {
    private static final BigDecimal CAP = new BigDecimal("0.02");
    private static final List<ModelSpec> MODELS = List.of(new ModelSpec("priced", TestGateway.PROVIDER, "gpt-4o-mini", 128_000,
            Encoding.O200K_BASE, Prices.of("5", "15")));

    @Test
    void countersFlushedMidRunAreRebuiltFromTheLedgerAndTheCapHolds() throws Exception {
        String user = "flush-" + UUID.randomUUID();
        String counter = "sluice:budget:user:default/" + user + ":total";
        LimitSettings limits = new LimitSettings(RateLimits.NONE, false, List.of(new Budget(Budget.Scope.USER, Budget.Period.TOTAL, CAP)))
                .withBudgetsInRedis(true);
        RedisClient client = RedisClient.create(TestGateway.REDIS_CACHE.redisUri());
        try (TestGateway gateway = TestGateway.onPostgresWithLimits(MODELS, limits); var redis = client.connect();
             ExecutorService pool = Executors.newFixedThreadPool(8)) {
            String body = "{\"model\":\"priced\",\"max_tokens\":20,\"user\":\"" + user + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Where is my parcel?\"}]}";
            AtomicBoolean flushed = new AtomicBoolean();
            List<Future<Integer>> callers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                callers.add(pool.submit(() -> {
                    int answered = 0;
                    while (true) {
                        HttpResponse<String> r = gateway.post("/v1/chat/completions", body);
                        if (r.statusCode() == 402) return answered;
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                        answered++;
                        if (spent(gateway, user).compareTo(CAP.divide(BigDecimal.TWO)) > 0 && flushed.compareAndSet(false, true)) {
                            redis.sync().del(counter); // the counter, with the holds of the calls in flight on it, is gone
                        }
                    }
                }));
            }
            int answered = 0;
            for (Future<Integer> c : callers) answered += c.get();
            assertThat(flushed).as("the counter was lost mid-run").isTrue();
            BigDecimal spent = spent(gateway, user);
            System.out.printf("Redis counters lost mid-run: %d calls, %s of %s spent%n", answered, spent.toPlainString(), CAP);
            assertThat(spent).as("the cap held").isLessThanOrEqualTo(CAP);
            assertThat(spent).as("and was used").isGreaterThan(CAP.multiply(new BigDecimal("0.9")));
            BigDecimal oneCall = spent.divide(BigDecimal.valueOf(answered), 9, java.math.RoundingMode.UP);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                BigDecimal counted = new BigDecimal(redis.sync().hget(counter, "s")).movePointLeft(9);
                // a bill committed just before the rebuild read the ledger, and settled after, may count twice: never less
                assertThat(counted).as("the counter never counts less than the ledger").isGreaterThanOrEqualTo(spent);
                assertThat(counted).as("and at most the calls in flight at the loss more").isLessThanOrEqualTo(spent.add(oneCall.multiply(BigDecimal.valueOf(8))));
                assertThat(redis.sync().hget(counter, "r")).isEqualTo("0");
            });
        } finally {
            client.shutdown();
        }
    }

    private static BigDecimal spent(TestGateway gateway, String user) {
        Object sum = Sql.value(gateway.storage, "SELECT SUM(cost) FROM usage_ledger WHERE end_user = ?", user);
        return sum == null ? BigDecimal.ZERO : (BigDecimal) sum;
    }
}
