package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A fact from turn 3 of 100 comes back for a question about it; a sliding window would have dropped it. */
class SemanticRecallConversationTest {
    private static final String FACT = "My order ZX-4471 contains a blue bicycle helmet and it must reach Đà Nẵng by Friday.";

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void aFactFromTurnThreeIsRecalled(String storage) throws Exception {
        try (TestGateway sluice = TestGateway.on(storage)) {
            String id = sluice.post("/v1/chat/completions", TestGateway.chat("Hello, I need help with a delivery."), "X-Conversation-Id", "new")
                    .headers().firstValue("X-Conversation-Id").orElseThrow();
            sluice.post("/v1/chat/completions", TestGateway.chat("It is about one of my recent orders."), "X-Conversation-Id", id);
            sluice.post("/v1/chat/completions", TestGateway.chat(FACT), "X-Conversation-Id", id);
            for (int i = 4; i <= 100; i++) {
                sluice.post("/v1/chat/completions", TestGateway.chat("Turn " + i + ": any news about the delivery status today?"), "X-Conversation-Id", id);
            }
            String question = "Which helmet was in the ZX-4471 parcel again, the blue one?";

            HttpResponse<String> window = sluice.post("/v1/chat/completions", TestGateway.chat(question), "X-Conversation-Id", id,
                    "X-Context-Strategy", "sliding_window(6)");
            assertThat(window.statusCode()).isEqualTo(200);
            assertThat(contents(sluice)).doesNotContain(FACT);

            HttpResponse<String> semantic = sluice.post("/v1/chat/completions", TestGateway.chat(question), "X-Conversation-Id", id,
                    "X-Context-Strategy", "semantic(6)");
            assertThat(semantic.statusCode()).as(semantic.body()).isEqualTo(200);
            List<String> sent = contents(sluice);
            assertThat(sent).contains(FACT);
            assertThat(sent.getLast()).isEqualTo(question);
            assertThat(sent.indexOf(FACT)).as("recalled messages come before the recent ones, in order").isLessThan(sent.size() - 7);
        }
    }

    private static List<String> contents(TestGateway sluice) {
        List<String> contents = new ArrayList<>();
        for (JsonNode m : sluice.simulator.recentRequests().getLast().path("messages")) contents.add(m.path("content").asText());
        return contents;
    }
}
