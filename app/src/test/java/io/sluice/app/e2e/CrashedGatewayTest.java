package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.jdbc.StorageSettings;
import io.sluice.testkit.db.PostgresTestSchema;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A gateway killed with {@code kill -9} while calls under a cap are in flight leaves their budget holds behind; once
 * they expire, the next gateway's sweep releases them and it admits calls up to the cap again. What was acknowledged
 * before the kill is in the ledger, once.
 */
class CrashedGatewayTest {
    private static final String CAP = "0.05";
    private static final String COUNTER = "global:total";

    @ParameterizedTest(name = "counters in Redis: {0}")
    @ValueSource(booleans = {false, true})
    void holdsLeftByAKilledGatewayExpireAndTheCapIsUsableAgain(boolean inRedis) throws Exception {
        try (PostgresTestSchema schema = new PostgresTestSchema(); Simulator simulator = new Simulator(SimulatorConfig.ofDefaults());
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            simulator.start(0);
            StorageSettings storage = new StorageSettings(StorageSettings.Dialect.POSTGRESQL, schema.jdbcUrl(), schema.user(), schema.password(), 1);
            String yaml = config(schema, simulator, inRedis);
            if (inRedis) redis(r -> r.del("sluice:budget:" + COUNTER)); // the test Redis outlives a run

            try (GatewayProcess first = new GatewayProcess(yaml)) {
            for (int i = 0; i < 5; i++) assertThat(call(http, first, 10).statusCode()).isEqualTo(200);
            simulator.configure(SimulatorConfig.ofDefaults().withLatency(Duration.ofSeconds(30)));
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                inFlight.add(http.sendAsync(request(first, 20), HttpResponse.BodyHandlers.ofString()));
            }
            // three worst cases of about $0.015 each are held: the cap has no room for a fourth
            await().atMost(Duration.ofSeconds(10)).until(() -> reserved(storage, inRedis).compareTo(new BigDecimal("0.045")) > 0);
            first.kill();
            inFlight.forEach(f -> f.cancel(true));
            }
            simulator.configure(SimulatorConfig.ofDefaults());

            try (GatewayProcess second = new GatewayProcess(yaml)) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                        .untilAsserted(() -> assertThat(reserved(storage, inRedis)).as("the dead process's holds released").isEqualByComparingTo("0"));
                List<CompletableFuture<HttpResponse<String>>> again = new ArrayList<>();
                for (int i = 0; i < 3; i++) again.add(http.sendAsync(request(second, 10), HttpResponse.BodyHandlers.ofString()));
                for (var answer : again) assertThat(answer.join().statusCode()).as("the cap admits calls again").isEqualTo(200);
            }
            assertThat(Sql.value(storage, "SELECT COUNT(*) FROM usage_ledger")).as("the 5 acknowledged calls and the 3 after the restart")
                    .isEqualTo(8L);
            assertThat(Sql.value(storage, "SELECT COUNT(DISTINCT request_id) FROM usage_ledger")).as("no bill twice").isEqualTo(8L);
            BigDecimal ledger = (BigDecimal) Sql.value(storage, "SELECT SUM(cost) FROM usage_ledger");
            assertThat(spent(storage, inRedis)).as("the counter spent what the ledger billed").isEqualByComparingTo(ledger);
        }
    }

    private static String config(PostgresTestSchema schema, Simulator simulator, boolean inRedis) {
        return """
                sluice:
                  redis: {uri: "%s"}
                  storage:
                    type: postgres
                    postgres: {url: "%s", user: "%s", password: "%s", pool-size: 4}
                  providers:
                    sim: {type: openai, base-url: "%s", api-key: sk-sim-secret}
                  models:
                    priced: {provider: sim, upstream-name: gpt-4o-mini, input-price: 5, output-price: 15}
                  sla:
                    default-tier: brief
                    tiers:
                      brief: {connect-timeout: 1s, first-chunk-timeout: 3s, deadline: 3s}
                  budgets:
                    store: %s
                    hold-margin: 1s
                    sweep-interval: 250ms
                    global: {total: "%s"}
                """.formatted(TestGateway.REDIS_CACHE.redisUri(), schema.jdbcUrl(), schema.user(), schema.password() == null ? "" : schema.password(),
                simulator.baseUrl(), inRedis ? "redis" : "database", CAP);
    }

    private static HttpRequest request(GatewayProcess gateway, int timeoutSeconds) {
        return HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions")).timeout(Duration.ofSeconds(timeoutSeconds))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"priced\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"Where is my parcel?\"}]}")).build();
    }

    private static HttpResponse<String> call(HttpClient http, GatewayProcess gateway, int timeoutSeconds) throws Exception {
        return http.send(request(gateway, timeoutSeconds), HttpResponse.BodyHandlers.ofString());
    }

    private static BigDecimal reserved(StorageSettings storage, boolean inRedis) {
        return counter(storage, inRedis, "reserved", "r");
    }

    private static BigDecimal spent(StorageSettings storage, boolean inRedis) {
        return counter(storage, inRedis, "spent", "s");
    }

    /** The global counter's column in the database, or its field in Redis (nano-dollars). */
    private static BigDecimal counter(StorageSettings storage, boolean inRedis, String column, String field) {
        if (inRedis) {
            String nanos = redis(r -> r.hget("sluice:budget:" + COUNTER, field));
            return nanos == null ? BigDecimal.ZERO : new BigDecimal(nanos).movePointLeft(9);
        }
        Object value = Sql.value(storage, "SELECT " + column + " FROM budget_counters WHERE counter = ?", COUNTER);
        return value == null ? BigDecimal.ZERO : (BigDecimal) value;
    }

    private static <T> T redis(java.util.function.Function<io.lettuce.core.api.sync.RedisCommands<String, String>, T> command) {
        RedisClient client = RedisClient.create(TestGateway.REDIS_CACHE.redisUri());
        try (var connection = client.connect()) {
            return command.apply(connection.sync());
        } finally {
            client.shutdown();
        }
    }
}
