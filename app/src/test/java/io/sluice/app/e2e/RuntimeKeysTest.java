package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testkit.db.PostgresTestSchema;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * An upstream key added at runtime on one replica is used by the other within a second, outlives a restart, is stored
 * sealed (the database alone opens nothing), is left unused by a gateway with another secrets key, and is removed once.
 */
class RuntimeKeysTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "sk-runtime-secret-4f1c";

    private static String secretsKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** A gateway on the schema, with one configured key ({@code sk-configured}) on the simulator. */
    private static String yaml(PostgresTestSchema schema, Simulator sim) {
        return GatewayProcess.onPostgres(schema, 4) + """
                  providers:
                    sim: {type: openai, base-url: "%s", api-key: sk-configured}
                  models:
                    gpt-4o: {provider: sim}
                """.formatted(sim.baseUrl());
    }

    @Test
    void aKeyAddedOnOneReplicaIsUsedByTheOtherKeptSealedAcrossARestartAndRemovedOnce() throws Exception {
        try (PostgresTestSchema schema = new PostgresTestSchema(); Simulator sim = new Simulator(SimulatorConfig.ofDefaults())) {
            sim.start(0);
            String yaml = yaml(schema, sim);
            Map<String, String> env = Map.of("SLUICE_SECRETS_KEY", secretsKey());
            String label;
            try (GatewayProcess a = new GatewayProcess(yaml, env); GatewayProcess b = new GatewayProcess(yaml, env)) {
                HttpResponse<String> added = send(a, "POST", "/admin/upstreams/sim/keys", "{\"api_key\": \"" + SECRET + "\", \"rpm\": 600}");
                assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
                assertThat(added.body()).doesNotContain(SECRET);
                label = JSON.readTree(added.body()).path("key").asText();
                assertThat(label).startsWith("sim-rt-"); // a path segment as it is: no "#", which would end the path
                Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25)).until(() -> keys(b).contains(label));
                for (int i = 0; i < 10; i++) assertThat(chat(b).statusCode()).isEqualTo(200);
                assertThat(sim.requestTimes(SECRET)).as("the second replica sent calls with the added key").isNotEmpty();

                // hostile and wrong input: refused before anything is stored
                assertThat(send(a, "POST", "/admin/upstreams/sim/keys", "{\"api_key\": \"sk-x\\r\\nX-Injected: 1\"}").statusCode()).isEqualTo(400);
                assertThat(send(a, "POST", "/admin/upstreams/sim/keys", "{\"api_key\": \"" + "k".repeat(2000) + "\"}").statusCode()).isEqualTo(400);
                assertThat(send(a, "POST", "/admin/upstreams/sim/keys", "{\"api_key\": \"\"}").statusCode()).isEqualTo(400);
                assertThat(send(a, "POST", "/admin/upstreams/sim/keys", "{\"api_key\": \"sk-ok\", \"rpm\": -1}").statusCode()).isEqualTo(400);
                assertThat(send(a, "POST", "/admin/upstreams/sim/keys", "not json").statusCode()).isEqualTo(400);
                assertThat(send(a, "POST", "/admin/upstreams/nowhere/keys", "{\"api_key\": \"sk-ok\"}").statusCode()).isEqualTo(404);
                assertThat(a.log() + b.log()).doesNotContain(SECRET);
            }

            // what the database holds opens nothing without the secrets key
            List<String> sealed = new ArrayList<>();
            try (Connection db = DriverManager.getConnection(schema.jdbcUrl(), schema.user(), schema.password()); ResultSet rs = db.createStatement()
                    .executeQuery("SELECT sealed FROM upstream_keys")) {
                while (rs.next()) sealed.add(rs.getString(1));
            }
            assertThat(sealed).hasSize(1).allSatisfy(s -> assertThat(s).startsWith("v1:").doesNotContain(SECRET)
                    .doesNotContain(Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8))));

            try (GatewayProcess other = new GatewayProcess(yaml, Map.of("SLUICE_SECRETS_KEY", secretsKey()))) {
                assertThat(keys(other)).as("another secrets key opens nothing").doesNotContain(label);
                assertThat(chat(other).statusCode()).isEqualTo(200);
                assertThat(other.log()).contains("upstream key " + label + " is stored but unused");
            }
            int sentBefore = sim.requestTimes(SECRET).size();
            try (GatewayProcess restarted = new GatewayProcess(yaml, env)) {
                assertThat(keys(restarted)).as("kept over the restart").contains(label);
                for (int i = 0; i < 10; i++) assertThat(chat(restarted).statusCode()).isEqualTo(200);
                assertThat(sim.requestTimes(SECRET).size()).isGreaterThan(sentBefore);
                assertThat(send(restarted, "DELETE", "/admin/upstreams/sim/keys/" + label, null).statusCode()).isEqualTo(204);
                assertThat(keys(restarted)).doesNotContain(label);
                assertThat(send(restarted, "DELETE", "/admin/upstreams/sim/keys/" + label, null).statusCode()).as("removed once").isEqualTo(404);
                assertThat(send(restarted, "DELETE", "/admin/upstreams/sim/keys/sim", null).statusCode()).as("a configured key stays").isEqualTo(404);
                assertThat(chat(restarted).statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void aKeyTheUpstreamDisabledIsEnabledOnOneReplicaAndEveryReplicaUsesItAgainWithinASecond() throws Exception {
        try (PostgresTestSchema schema = new PostgresTestSchema(); Simulator sim = new Simulator(SimulatorConfig.ofDefaults())) {
            sim.start(0);
            String yaml = yaml(schema, sim);
            try (GatewayProcess a = new GatewayProcess(yaml, Map.of()); GatewayProcess b = new GatewayProcess(yaml, Map.of())) {
                sim.configure(sim.config().withKeyFault("sk-configured", io.sluice.testkit.simulator.Fault.UNAUTHORIZED));
                assertThat(chat(a).statusCode()).isEqualTo(503);
                assertThat(chat(b).statusCode()).isEqualTo(503);
                sim.configure(sim.config().withKeyFault("sk-configured", null)); // the account is fixed upstream
                assertThat(chat(b).statusCode()).as("still disabled").isEqualTo(503);

                HttpResponse<String> enabled = send(a, "POST", "/admin/upstreams/keys/enable", "{\"endpoint\":\"sim\",\"key\":\"sim\"}");
                assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
                assertThat(chat(a).statusCode()).isEqualTo(200);
                Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25)).until(() -> state(b, "sim").equals("ok"));
                assertThat(chat(b).statusCode()).isEqualTo(200);

                assertThat(send(a, "POST", "/admin/upstreams/keys/enable", "{\"endpoint\":\"sim\",\"key\":\"nope\"}").statusCode()).isEqualTo(404);
                assertThat(send(a, "POST", "/admin/upstreams/keys/enable", "{\"endpoint\":\"nowhere\",\"key\":\"sim\"}").statusCode()).isEqualTo(404);
                assertThat(send(a, "POST", "/admin/upstreams/keys/enable", "{\"endpoint\":\"sim\"}").statusCode()).isEqualTo(400);
            }
        }
    }

    private static String state(GatewayProcess gateway, String key) throws Exception {
        for (JsonNode k : JSON.readTree(send(gateway, "GET", "/admin/upstreams", null).body()).path("keys")) {
            if (k.path("key").asText().equals(key)) return k.path("state").asText();
        }
        return "";
    }

    private static HttpResponse<String> send(GatewayProcess gateway, String method, String path, String body) throws Exception {
        return gateway.send(method, path, body);
    }

    private static HttpResponse<String> chat(GatewayProcess gateway) throws Exception {
        return send(gateway, "POST", "/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Where is my parcel?\"}]}");
    }

    private static List<String> keys(GatewayProcess gateway) throws Exception {
        List<String> keys = new ArrayList<>();
        for (JsonNode k : JSON.readTree(send(gateway, "GET", "/admin/upstreams", null).body()).path("keys")) keys.add(k.path("key").asText());
        return keys;
    }
}
