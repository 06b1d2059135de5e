package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Health, models and metrics. */
class ServiceEndpointsTest {
    private static TestGateway sluice;

    @BeforeAll
    static void start() {
        sluice = TestGateway.onPostgres();
    }

    @AfterAll
    static void stop() throws Exception {
        sluice.close();
    }

    @Test
    void healthEndpointsAnswer() {
        assertThat(sluice.get("/health/live").body()).isEqualTo("{\"status\":\"UP\"}");
        HttpResponse<String> ready = sluice.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\",\"checks\":{\"database\":\"up\"}}");
    }

    @Test
    void passthroughModelNamesGrowTheMetricsOnlyUpToABound() throws Exception {
        try (TestGateway own = TestGateway.onH2()) {
            for (int i = 0; i < 100; i++) {
                String body = "{\"model\":\"tenant-model-" + i + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
                assertThat(own.post("/v1/chat/completions", body).statusCode()).isEqualTo(200);
            }
            String metrics = own.get("/metrics").body();

            java.util.Set<String> requestModels = new java.util.HashSet<>();
            java.util.Set<String> responseModels = new java.util.HashSet<>();
            var labels = java.util.regex.Pattern.compile("gen_ai_request_model=\"([^\"]*)\",gen_ai_response_model=\"([^\"]*)\"").matcher(metrics);
            while (labels.find()) {
                requestModels.add(labels.group(1));
                responseModels.add(labels.group(2));
            }
            assertThat(requestModels).contains("tenant-model-0", "_other").doesNotContain("tenant-model-99").hasSizeLessThanOrEqualTo(65);
            assertThat(responseModels).hasSizeLessThanOrEqualTo(65);
        }
    }

    @Test
    void modelsAreListedInOpenAiShape() {
        HttpResponse<String> models = sluice.get("/v1/models");
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(models.body()).startsWith("{\"object\":\"list\",\"data\":[");
    }

    @Test
    void metricsCountRequestsLatencyTokensAndTheGatewaysOwnTimeUnderGenAiNames() {
        sluice.post("/v1/chat/completions", TestGateway.chat("count my tokens please"));
        sluice.post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"and these\"}]}");

        String metrics = sluice.get("/metrics").body();
        assertThat(metrics).contains("gen_ai_client_operation_duration_seconds_bucket{")
                .contains("gen_ai_client_token_usage_tokens_count{")
                .contains("gen_ai_token_type=\"input\"").contains("gen_ai_token_type=\"output\"")
                .contains("http_server_requests_seconds_count{method=\"POST\",status=\"200\",uri=\"/v1/chat/completions\"}")
                .contains("sluice_gateway_overhead_seconds_bucket{until=\"answer\",le=\"0.001\"}");
        assertThat(metrics).as("the gateway's own time, to an answer and to a stream's first chunk")
                .containsPattern("sluice_gateway_overhead_seconds_count\\{until=\"answer\"} [1-9]")
                .containsPattern("sluice_gateway_overhead_seconds_count\\{until=\"first_chunk\"} [1-9]");
        assertThat(metrics).containsPattern(java.util.regex.Pattern.compile("gen_ai_client_operation_duration_seconds_count\\{[^}]*gen_ai_request_model=\"gpt-4o-mini\"[^}]*} 2$", java.util.regex.Pattern.MULTILINE));
    }
}
