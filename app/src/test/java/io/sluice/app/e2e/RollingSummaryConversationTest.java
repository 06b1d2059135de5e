package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.config.CacheSettings;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.domain.context.Summary;
import io.sluice.engine.memory.SummaryPolicy;
import io.sluice.engine.memory.Summarizer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** 200 turns with rolling_summary on a small window: every call fits, the summary keeps up, the latest turns are verbatim. */
class RollingSummaryConversationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WINDOW = 1500;
    private static final int MAX_TOKENS = 60;
    private static final ModelSpec SMALL = new ModelSpec("small-model", TestGateway.PROVIDER, "gpt-4o-mini", WINDOW, Encoding.O200K_BASE, Prices.FREE);

    @Test
    void twoHundredTurnsFitAndKeepTheirSummaryCurrent() throws Exception {
        SummaryPolicy policy = new SummaryPolicy(Optional.empty(), 400, 150, 120);
        try (TestGateway sluice = TestGateway.on("postgres", List.of(SMALL), CacheSettings.local(), policy)) {
            String id = JSON.readTree(sluice.post("/v1/conversations",
                    "{\"system_prompt\":\"You are the support agent of Acme Parcels.\",\"context_strategy\":\"rolling_summary\"}").body())
                    .path("id").asText();
            List<String> questions = new ArrayList<>();
            long lastCoverage = 0;
            int coverageGrew = 0;
            int summaryRequests = 0;
            for (int i = 1; i <= 200; i++) {
                String question = "Turn " + i + ": what is the status of parcel " + (5000 + i) + " to Hanoi?";
                questions.add(question);
                HttpResponse<String> response = sluice.post("/v1/chat/completions",
                        "{\"model\":\"small-model\",\"max_tokens\":" + MAX_TOKENS + ",\"messages\":[{\"role\":\"user\",\"content\":"
                                + TestGateway.quote(question) + "}]}", "X-Conversation-Id", id);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(JSON.readTree(response.body()).path("usage").path("prompt_tokens").asInt())
                        .as("turn %d fits, by the simulator's own count", i).isLessThanOrEqualTo(WINDOW - MAX_TOKENS);

                JsonNode chat = lastChatRequest(sluice);
                JsonNode messages = chat.path("messages");
                assertThat(messages.get(0).path("content").asText()).isEqualTo("You are the support agent of Acme Parcels.");
                assertThat(messages.get(messages.size() - 1).path("content").asText()).isEqualTo(question);
                if (i > 1) assertThat(messages.get(messages.size() - 3).path("content").asText()).isEqualTo(questions.get(i - 2));

                long coverage = JSON.readTree(sluice.get("/v1/conversations/" + id).body()).path("stats").path("summarized_through_seq").asLong();
                if (coverage > lastCoverage) coverageGrew++;
                lastCoverage = coverage;
            }
            for (JsonNode request : sluice.simulator.recentRequests()) {
                if (isSummaryRequest(request)) summaryRequests++;
            }
            assertThat(coverageGrew).as("the summary was refreshed again and again").isGreaterThan(10);
            assertThat(lastCoverage).as("it covers most of the conversation").isGreaterThan(300);
            assertThat(summaryRequests).isPositive();
            JsonNode last = lastChatRequest(sluice).path("messages");
            assertThat(last.get(1).path("content").asText()).startsWith(Summary.prefix());
        }
    }

    private static boolean isSummaryRequest(JsonNode request) {
        return Summarizer.INSTRUCTIONS.equals(request.path("messages").path(0).path("content").asText());
    }

    private static JsonNode lastChatRequest(TestGateway sluice) {
        List<JsonNode> requests = sluice.simulator.recentRequests();
        for (int i = requests.size() - 1; i >= 0; i--) {
            if (!isSummaryRequest(requests.get(i))) return requests.get(i);
        }
        throw new AssertionError("no chat request reached the simulator");
    }
}
