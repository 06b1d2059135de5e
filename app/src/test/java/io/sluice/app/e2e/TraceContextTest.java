package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * With no OpenTelemetry exporter configured (no {@code OTEL_*} variables), nothing is recorded, and a caller's trace
 * still reaches the upstream: its {@code traceparent} is passed on unchanged; a malformed or oversized one is not.
 */
class TraceContextTest {
    private static final String BODY = """
            {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Is my order shipped?"}]}""";

    @Test
    void aCallersTraceparentReachesTheUpstreamUnchangedAndAHostileOneDoesNot() throws Exception {
        try (TestGateway gateway = TestGateway.onH2()) {
            String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
            HttpResponse<String> traced = gateway.post("/v1/chat/completions", BODY, "traceparent", traceparent, "tracestate", "congo=t61rcWkgMzE");
            assertThat(traced.statusCode()).isEqualTo(200);
            assertThat(gateway.simulator.recentTraceparents()).containsExactly(traceparent);

            HttpResponse<String> malformed = gateway.post("/v1/chat/completions", BODY, "traceparent", "00-not-a-trace-01");
            HttpResponse<String> oversized = gateway.post("/v1/chat/completions", BODY, "traceparent", traceparent + "-" + "f".repeat(500));
            HttpResponse<String> none = gateway.post("/v1/chat/completions", BODY);
            assertThat(java.util.List.of(malformed, oversized, none)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
            assertThat(gateway.simulator.recentTraceparents()).containsExactly(traceparent); // nothing more went upstream
        }
    }
}
