package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testkit.db.PostgresTestSchema;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Conversations that send large inline images do not fill the gateway's heap through its context cache: the cache is
 * bounded by the bytes its entries take, not by their tokens (an image of a megabyte counts for about a thousand).
 * The gateway runs with a 256 MB heap and receives 200 MB of images in 200 stored conversations.
 */
class ContextCacheMemoryTest {
    /** The header of a 2048 x 4096 PNG, then a megabyte of base64 that decodes to zeros. */
    private static final String IMAGE = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAACAAAABAACAIAAABp9JbO" + "A".repeat(1 << 20);

    @Test
    void twoHundredConversationsOfAMegabyteImageEachLeaveTheGatewayServing() throws Exception {
        try (PostgresTestSchema schema = new PostgresTestSchema(); Simulator sim = new Simulator(SimulatorConfig.ofDefaults())) {
            sim.start(0);
            String yaml = GatewayProcess.onPostgres(schema, 4) + """
                      providers:
                        sim: {type: openai, base-url: "%s", api-key: sk-sim}
                      models:
                        vision: {provider: sim, upstream-name: gpt-4o-mini}
                      context: {cache: {max-bytes: 33554432}}
                    """.formatted(sim.baseUrl());
            try (GatewayProcess gateway = new GatewayProcess(yaml)) {
                List<String> conversations = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    HttpResponse<String> answer = gateway.send("POST", "/v1/chat/completions", question("What is on label " + i + "?"),
                            "X-Conversation-Id", "new");
                    assertThat(answer.statusCode()).as("call %d: %s", i, answer.body()).isEqualTo(200);
                    conversations.add(answer.headers().firstValue("X-Conversation-Id").orElseThrow());
                }
                // the first conversation has long left the cache: its next turn reads the image back from the store
                HttpResponse<String> next = gateway.send("POST", "/v1/chat/completions",
                        "{\"model\": \"vision\", \"messages\": [{\"role\": \"user\", \"content\": \"And on the back?\"}]}",
                        "X-Conversation-Id", conversations.getFirst());
                assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
                String sent = sim.recentRequests().getLast().path("messages").toString();
                assertThat(sent).as("the first turn's image, sent again").contains(IMAGE.substring(0, 200)).contains("And on the back?");
                assertThat(gateway.send("GET", "/health/ready", null).statusCode()).isEqualTo(200);
                assertThat(gateway.log()).doesNotContain("OutOfMemoryError");
            }
        }
    }

    private static String question(String text) {
        return """
                {"model": "vision", "messages": [{"role": "user", "content": [
                  {"type": "text", "text": "%s"}, {"type": "image_url", "image_url": {"url": "%s"}}]}]}""".formatted(text, IMAGE);
    }
}
