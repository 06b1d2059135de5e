package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.app.config.CacheSettings;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two gateways on one PostgreSQL and one Redis act as one: whichever serves a turn sees the whole conversation. */
class ReplicasShareContextTest {
    private static final CacheSettings REDIS = TestGateway.REDIS_CACHE;

    @Test
    void turnsAlternatingBetweenReplicasCarryTheFullHistory() throws Exception {
        try (TestGateway a = TestGateway.on("postgres", List.of(), REDIS); TestGateway b = TestGateway.replicaOf(a, REDIS)) {
            String id = a.post("/v1/chat/completions", TestGateway.chat("turn 1"), "X-Conversation-Id", "new")
                    .headers().firstValue("X-Conversation-Id").orElseThrow();
            List<String> expected = new ArrayList<>(List.of("turn 1"));
            for (int i = 2; i <= 8; i++) {
                TestGateway replica = i % 2 == 0 ? b : a;
                HttpResponse<String> response = replica.post("/v1/chat/completions", TestGateway.chat("turn " + i), "X-Conversation-Id", id);
                assertThat(response.statusCode()).isEqualTo(200);

                List<String> users = new ArrayList<>();
                for (JsonNode m : replica.simulator.recentRequests().getLast().path("messages")) {
                    if (m.path("role").asText().equals("user")) users.add(m.path("content").asText());
                }
                expected.add("turn " + i);
                assertThat(users).as("turn %d on replica %s", i, replica == a ? "a" : "b").isEqualTo(expected);
            }
        }
    }
}
