package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.config.CacheSettings;
import io.sluice.domain.Encoding;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.engine.memory.SummaryPolicy;
import io.sluice.engine.memory.Summarizer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rolling summaries refreshed in the background through the provider's batch API ({@code summary.batch: true}), at
 * half the model's price, or at once at the full price: either way the summary keeps up with the conversation, and
 * each summary call is billed to the conversation's owner under the route {@code sluice:summary}.
 */
class BatchedSummariesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** gpt-4o-mini at its list price, configured: its batch price is the catalog's discount of it, half. */
    private static final ModelSpec MINI = new ModelSpec("gpt-4o-mini", TestGateway.PROVIDER, "gpt-4o-mini", 128_000, Encoding.O200K_BASE,
            Prices.of("0.15", "0.60"));

    @ParameterizedTest(name = "batched: {0}")
    @ValueSource(booleans = {true, false})
    void summariesKeepUpAndAreBilledAtTheirPrice(boolean batched) throws Exception {
        SummaryPolicy policy = new SummaryPolicy(Optional.empty(), 300, 100, 120, batched, Duration.ofMillis(100));
        try (TestGateway sluice = TestGateway.on("postgres", List.of(MINI), CacheSettings.local(), policy)) {
            String id = JSON.readTree(sluice.post("/v1/conversations",
                    "{\"system_prompt\":\"You are the support agent of Acme Parcels.\",\"context_strategy\":\"rolling_summary\"}").body())
                    .path("id").asText();
            for (int i = 1; i <= 12; i++) {
                HttpResponse<String> response = sluice.post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"max_tokens\":40,\"messages\":[{\"role\":"
                        + "\"user\",\"content\":\"Turn " + i + ": where is parcel " + (5000 + i) + " to Hanoi, and when does it arrive?\"}]}",
                        "X-Conversation-Id", id);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> JSON.readTree(sluice.get("/v1/conversations/" + id).body())
                    .path("stats").path("summarized_through_seq").asLong() > 0);
            var bills = Sql.rows(sluice.storage, "SELECT input_tokens, output_tokens, cost, price_source, conversation_id FROM usage_ledger"
                    + " WHERE route = 'sluice:summary'");
            assertThat(bills).as("each summary call billed").isNotEmpty();
            String input = batched ? "0.075" : "0.15";
            String output = batched ? "0.30" : "0.60";
            for (Map<String, Object> bill : bills) {
                BigDecimal expected = new BigDecimal(input).multiply(BigDecimal.valueOf(((Number) bill.get("input_tokens")).longValue()))
                        .add(new BigDecimal(output).multiply(BigDecimal.valueOf(((Number) bill.get("output_tokens")).longValue())))
                        .divide(BigDecimal.valueOf(1_000_000), 9, RoundingMode.HALF_UP);
                assertThat((BigDecimal) bill.get("cost")).isEqualByComparingTo(expected).isPositive();
                assertThat(bill.get("price_source")).isEqualTo(batched ? "config batch" : "config");
                assertThat(bill.get("conversation_id")).isEqualTo(id);
            }
            boolean summaryAsChatCall = sluice.simulator.recentRequests().stream()
                    .anyMatch(r -> Summarizer.INSTRUCTIONS.equals(r.path("messages").path(0).path("content").asText()));
            assertThat(summaryAsChatCall).as("a batched summary is never a chat call").isEqualTo(!batched);
            assertThat(sluice.simulator.batchesSubmitted() > 0).isEqualTo(batched);
        }
    }
}
