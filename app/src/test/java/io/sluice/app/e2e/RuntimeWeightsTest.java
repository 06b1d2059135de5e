package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testkit.db.PostgresTestSchema;
import io.sluice.testkit.simulator.Fault;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Canary weights changed at runtime on one replica reach the other within a second, outlive a restart of both, and a
 * canary whose endpoint fails is rolled back by itself, on every replica.
 */
class RuntimeWeightsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String yaml(PostgresTestSchema schema, Simulator sim) {
        return GatewayProcess.onPostgres(schema, 4) + """
                  providers:
                    good: {type: openai, base-url: "%s", api-key: sk-good}
                    bad: {type: openai, base-url: "%s", api-key: sk-bad}
                  models:
                    big: {provider: good, upstream-name: gpt-4o}
                    small: {provider: bad, upstream-name: gpt-4o-mini}
                  routes:
                    split:
                      deployments:
                        stable: {weight: 95, chain: [{model: big}]}
                        canary: {weight: 5, chain: [{model: small}]}
                      canary: {deployment: canary, stable: stable, min-calls: 10}
                  sla: {retry: {max-attempts: 1}}
                """.formatted(sim.baseUrl(), sim.baseUrl());
    }

    @Test
    void weightsSetOnOneReplicaRouteTheOtherWithinASecondOutliveARestartAndAFailingCanaryIsRolledBack() throws Exception {
        try (PostgresTestSchema schema = new PostgresTestSchema(); Simulator sim = new Simulator(SimulatorConfig.ofDefaults())) {
            sim.start(0);
            String yaml = yaml(schema, sim);
            try (GatewayProcess a = new GatewayProcess(yaml); GatewayProcess b = new GatewayProcess(yaml)) {
                for (int i = 0; i < 20; i++) assertThat(chat(b, "warm-" + i).statusCode()).isEqualTo(200); // the measure is the change's, not a cold JVM's
                HttpResponse<String> put = send(a, "PUT", "/admin/routes/split/weights", "{\"stable\": 0, \"canary\": 100}");
                assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
                long changed = System.nanoTime();
                Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25)).until(() -> "small".equals(servedBy(b, "user-1")));
                System.out.printf("runtime weights: the second replica routed by the change %d ms after it was made%n",
                        (System.nanoTime() - changed) / 1_000_000);
                assertThat(weights(b)).containsEntry("stable", 0).containsEntry("canary", 100);
                assertThat(send(a, "PUT", "/admin/routes/split/weights", "{\"canary\": -1}").statusCode()).isEqualTo(400);
                assertThat(send(a, "PUT", "/admin/routes/split/weights", "{\"stable\": 0, \"canary\": 0}").statusCode()).isEqualTo(400);
                assertThat(send(a, "PUT", "/admin/routes/nowhere/weights", "{\"canary\": 1}").statusCode()).isEqualTo(404);

                // a degradation chain, changed likewise; what is not a chain of configured models is refused
                HttpResponse<String> chains = send(a, "PUT", "/admin/routes/split/chains",
                        "{\"stable\": [{\"model\": \"big\", \"capability\": \"complex\"}, {\"model\": \"small\", \"capability\": \"simple\"}]}");
                assertThat(chains.statusCode()).as(chains.body()).isEqualTo(200);
                Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25)).until(() -> chain(b, "stable").equals(List.of("big", "small")));
                for (String bad : List.of("{\"stable\": \"big\"}", "{\"stable\": []}", "{\"stable\": [{\"model\": \"big\"}]}",
                        "{\"stable\": [{\"model\": \"big\", \"capability\": \"huge\"}]}", "{\"stable\": [{\"model\": \"gpt-9\", \"capability\": \"complex\"}]}",
                        "{\"stable\": [{\"model\": \"small\", \"capability\": \"simple\"}, {\"model\": \"big\", \"capability\": \"complex\"}]}",
                        "{\"nightly\": [{\"model\": \"big\", \"capability\": \"complex\"}]}", "{}", "not json")) {
                    HttpResponse<String> refused = send(a, "PUT", "/admin/routes/split/chains", bad);
                    assertThat(refused.statusCode()).as(bad + " -> " + refused.body()).isEqualTo(400);
                }
                assertThat(chain(a, "stable")).as("nothing refused was applied").containsExactly("big", "small");
            }
            try (GatewayProcess restarted = new GatewayProcess(yaml)) {
                assertThat(weights(restarted)).as("kept over the restart").containsEntry("stable", 0).containsEntry("canary", 100);
                assertThat(servedBy(restarted, "user-2")).isEqualTo("small");
                assertThat(chain(restarted, "stable")).as("kept over the restart").containsExactly("big", "small");
                assertThat(send(restarted, "PUT", "/admin/routes/split/chains", "{\"stable\": [{\"model\": \"big\", \"capability\": \"complex\"}]}")
                        .statusCode()).isEqualTo(200);
            }

            // the canary's endpoint fails every call: each replica that sees it roll it back, and every replica follows
            sim.configure(sim.config().withKeyFault("sk-bad", Fault.UNAVAILABLE));
            try (GatewayProcess a = new GatewayProcess(yaml); GatewayProcess b = new GatewayProcess(yaml)) {
                assertThat(send(a, "PUT", "/admin/routes/split/weights", "{\"stable\": 50, \"canary\": 50}").statusCode()).isEqualTo(200);
                Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> weights(b).get("canary") == 50);
                Map<Integer, Integer> statuses = new HashMap<>();
                for (int i = 0; i < 60; i++) statuses.merge(chat(b, "user-" + i).statusCode(), 1, Integer::sum);
                assertThat(statuses).as("the canary's calls fail, the stable's are answered").containsKeys(200, 503);
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> weights(a).get("canary") == 0);
                assertThat(weights(a)).containsEntry("stable", 50);
                for (int i = 0; i < 20; i++) assertThat(chat(a, "user-" + i).statusCode()).isEqualTo(200);
                assertThat(send(b, "GET", "/metrics", null).body()).contains("sluice_canary_rollbacks_total{route=\"split\"} 1.0");
            }
        }
    }

    private static HttpResponse<String> send(GatewayProcess gateway, String method, String path, String body) throws Exception {
        return gateway.send(method, path, body);
    }

    private static HttpResponse<String> chat(GatewayProcess gateway, String user) throws Exception {
        return send(gateway, "POST", "/v1/chat/completions", "{\"model\":\"split\",\"user\":\"" + user
                + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Explain why my parcel is late.\"}]}");
    }

    private static String servedBy(GatewayProcess gateway, String user) throws Exception {
        return chat(gateway, user).headers().firstValue("X-Sluice-Model").orElse(null);
    }

    private static List<String> chain(GatewayProcess gateway, String deployment) throws Exception {
        for (JsonNode route : JSON.readTree(send(gateway, "GET", "/admin/routes", null).body()).path("data")) {
            for (JsonNode d : route.path("deployments")) {
                if (route.path("name").asText().equals("split") && d.path("name").asText().equals(deployment)) {
                    return java.util.stream.StreamSupport.stream(d.path("chain").spliterator(), false).map(JsonNode::asText).toList();
                }
            }
        }
        return List.of();
    }

    private static Map<String, Integer> weights(GatewayProcess gateway) throws Exception {
        Map<String, Integer> weights = new HashMap<>();
        for (JsonNode route : JSON.readTree(send(gateway, "GET", "/admin/routes", null).body()).path("data")) {
            if (!route.path("name").asText().equals("split")) continue;
            for (JsonNode d : route.path("deployments")) weights.put(d.path("name").asText(), d.path("weight").asInt());
        }
        return weights;
    }
}
