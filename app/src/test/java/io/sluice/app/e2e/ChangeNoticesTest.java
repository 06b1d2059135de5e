package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testkit.db.PostgresTestSchema;
import io.sluice.testkit.servers.SecondRedis;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * With Redis, a weight changed on one replica reaches the other through pub/sub, well before its 5 s safety poll; with
 * Redis away, the replicas poll the database four times a second, and the change still arrives within a second.
 */
class ChangeNoticesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aChangeReachesTheOtherReplicaByRedisAndWithRedisAwayByPolling() throws Exception {
        try (PostgresTestSchema schema = new PostgresTestSchema(); Simulator sim = new Simulator(SimulatorConfig.ofDefaults()); SecondRedis redis = new SecondRedis()) {
            sim.start(0);
            String yaml = GatewayProcess.onPostgres(schema, 4) + """
                      redis: {uri: "%s"}
                      context: {cache: {type: redis}}
                      providers:
                        sim: {type: openai, base-url: "%s", api-key: sk-sim}
                      models:
                        big: {provider: sim, upstream-name: gpt-4o}
                        small: {provider: sim, upstream-name: gpt-4o-mini}
                      routes:
                        split:
                          deployments:
                            stable: {weight: 50, chain: [{model: big}]}
                            canary: {weight: 50, chain: [{model: small}]}
                    """.formatted(redis.uri(), sim.baseUrl());
            try (GatewayProcess a = new GatewayProcess(yaml); GatewayProcess b = new GatewayProcess(yaml)) {
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> b.log().contains("subscribed to Redis channel sluice:changes"));
                for (int round = 1; round <= 3; round++) {
                    int canary = 10 * round;
                    long changed = System.nanoTime();
                    assertThat(a.send("PUT", "/admin/routes/split/weights", "{\"canary\": " + canary + "}").statusCode()).isEqualTo(200);
                    Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10)).until(() -> canaryWeight(b) == canary);
                    System.out.printf("change notices: round %d reached the other replica in %d ms (by Redis)%n", round, (System.nanoTime() - changed) / 1_000_000);
                }

                redis.stop();
                // the replica sees Redis down (its subscription with it): the replicas poll the database
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> b.send("GET", "/health/ready", null).body().contains("\"redis\":\"down\""));
                long changed = System.nanoTime();
                assertThat(a.send("PUT", "/admin/routes/split/weights", "{\"canary\": 77}").statusCode()).isEqualTo(200);
                Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10)).until(() -> canaryWeight(b) == 77);
                System.out.printf("change notices: with Redis away, reached the other replica in %d ms (by polling)%n", (System.nanoTime() - changed) / 1_000_000);

                // back: whether Lettuce has subscribed again yet or the replicas still poll, a change arrives within a second
                redis.start();
                Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> b.send("GET", "/health/ready", null).statusCode() == 200);
                assertThat(a.send("PUT", "/admin/routes/split/weights", "{\"canary\": 5}").statusCode()).isEqualTo(200);
                Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10)).until(() -> canaryWeight(b) == 5);
            }
        }
    }

    private static int canaryWeight(GatewayProcess gateway) throws Exception {
        for (JsonNode route : JSON.readTree(gateway.send("GET", "/admin/routes", null).body()).path("data")) {
            for (JsonNode d : route.path("deployments")) if (d.path("name").asText().equals("canary")) return d.path("weight").asInt();
        }
        return -1;
    }
}
