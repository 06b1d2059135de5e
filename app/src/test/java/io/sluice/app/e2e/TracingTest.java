package io.sluice.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testkit.simulator.Fault;
import io.sluice.testkit.simulator.Simulator;
import io.sluice.testkit.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A gateway process exporting its traces by OTLP, set up only by the OpenTelemetry SDK's own environment variables, to
 * a receiver in this test; and logging JSON lines with a record per call. A route's first model fails with a 503, so
 * every call fails over to the second: the span tree shows both attempts, and a stream's first chunk.
 */
class TracingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final String PROMPT = "Explain why the blue heron nests by the water."; // complex: the route starts at its first model
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String yaml(Simulator sim) {
        return """
                sluice:
                  providers:
                    down: {type: openai, base-url: "%s", api-key: sk-down-secret}
                    up: {type: openai, base-url: "%s", api-key: sk-up-secret}
                  models:
                    primary: {provider: down, upstream-name: gpt-4o}
                    backup: {provider: up, upstream-name: gpt-4o-mini}
                  routes:
                    support: {chain: [{model: primary, capability: complex}, {model: backup, capability: simple}]}
                  log: {format: json, calls: true}
                """.formatted(sim.baseUrl(), sim.baseUrl());
    }

    @Test
    void eachCallIsASpanTreeExportedByOtlpWithBothAttemptsOfItsFailoverAndItsStreamsFirstChunk() throws Exception {
        try (Simulator sim = new Simulator(SimulatorConfig.ofDefaults().withKeyFault("sk-down-secret", Fault.UNAVAILABLE));
             OtlpReceiver receiver = new OtlpReceiver()) {
            sim.start(0);
            String plainId;
            String streamId;
            String hostileId;
            String log;
            // a long batch delay: what arrives, arrives by the flush as the process stops (SIGTERM)
            Map<String, String> otel = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(),
                    "OTEL_SERVICE_NAME", "sluice-test", "OTEL_BSP_SCHEDULE_DELAY", "60000");
            try (GatewayProcess gateway = new GatewayProcess(yaml(sim), otel)) {
                HttpResponse<String> plain = chat(gateway, false, "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");
                assertThat(plain.statusCode()).as(plain.body()).isEqualTo(200);
                plainId = plain.headers().firstValue("x-request-id").orElseThrow();
                HttpResponse<String> streamed = chat(gateway, true, null);
                assertThat(streamed.statusCode()).isEqualTo(200);
                assertThat(streamed.body()).contains("data: [DONE]");
                streamId = streamed.headers().firstValue("x-request-id").orElseThrow();
                // a traceparent that is not one: ignored, the call starts its own trace
                HttpResponse<String> hostile = chat(gateway, false, "00-" + "z".repeat(32) + "-%0a" + "\u00e9".repeat(40) + "-01");
                assertThat(hostile.statusCode()).isEqualTo(200);
                hostileId = hostile.headers().firstValue("x-request-id").orElseThrow();
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gateway.log().contains(hostileId));
                log = gateway.log();
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> callSpan(receiver, hostileId) != null);
            List<OtlpReceiver.Received> spans = receiver.spans();
            assertThat(spans).allSatisfy(s -> assertThat(s.service()).isEqualTo("sluice-test"));

            // the caller's trace, joined
            OtlpReceiver.Received call = callSpan(receiver, plainId);
            assertThat(call.name()).isEqualTo("chat support");
            assertThat(call.traceId()).isEqualTo(TRACE_ID);
            assertThat(call.parentId()).isEqualTo(CALLER_SPAN);
            assertThat(call.span().getKind()).isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER);
            assertThat(call.attribute("gen_ai.operation.name")).contains("chat");
            assertThat(call.attribute("gen_ai.request.model")).contains("support");
            assertThat(call.attribute("gen_ai.response.model")).contains("backup");
            assertThat(call.attribute("gen_ai.usage.input_tokens").map(Long::parseLong)).hasValueSatisfying(n -> assertThat(n).isPositive());
            assertThat(call.attribute("gen_ai.usage.output_tokens").map(Long::parseLong)).hasValueSatisfying(n -> assertThat(n).isPositive());
            assertThat(call.attribute("sluice.cost_usd")).isPresent();
            assertThat(call.attribute("sluice.owner")).contains("default");
            assertThat(call.attribute("sluice.outcome")).contains("completed");
            assertThat(call.failed()).isFalse();

            List<OtlpReceiver.Received> children = childrenOf(spans, call);
            assertThat(children).extracting(OtlpReceiver.Received::name)
                    .containsExactlyInAnyOrder("sluice.context", "chat gpt-4o", "chat gpt-4o-mini", "sluice.storage");
            OtlpReceiver.Received failed = named(children, "chat gpt-4o");
            OtlpReceiver.Received answered = named(children, "chat gpt-4o-mini");
            assertThat(failed.span().getKind()).isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT);
            assertThat(failed.attribute("sluice.endpoint")).contains("down");
            assertThat(failed.attribute("sluice.upstream_key")).contains("down");
            assertThat(failed.attribute("error.type")).contains("unavailable");
            assertThat(failed.attribute("sluice.attempt.outcome")).contains("failed");
            assertThat(failed.failed()).isTrue();
            assertThat(answered.attribute("sluice.endpoint")).contains("up");
            assertThat(answered.attribute("gen_ai.provider.name")).contains("openai");
            assertThat(answered.attribute("sluice.retry.reason")).contains("retry_later");
            assertThat(answered.attribute("sluice.attempt.outcome")).contains("answered");
            assertThat(answered.attribute("sluice.attempt")).contains("2");
            // each upstream request carried its attempt's span as its parent
            assertThat(sim.recentTraceparents()).contains("00-" + TRACE_ID + "-" + failed.spanId() + "-01",
                    "00-" + TRACE_ID + "-" + answered.spanId() + "-01");

            OtlpReceiver.Received stream = callSpan(receiver, streamId);
            assertThat(stream.hasEvent("sluice.first_chunk")).isTrue();
            assertThat(stream.parentId()).isEmpty();
            // the down endpoint's key rests after its 503 (its Retry-After): the stream goes to the second model at once
            assertThat(childrenOf(spans, stream)).extracting(OtlpReceiver.Received::name).contains("sluice.context", "chat gpt-4o-mini", "sluice.storage");

            OtlpReceiver.Received hostile = callSpan(receiver, hostileId);
            assertThat(hostile.parentId()).isEmpty();
            assertThat(hostile.traceId()).isNotEqualTo(TRACE_ID);

            // the log: every line one JSON object; the call's record names it, its trace, owner and model
            List<JsonNode> records = new ArrayList<>();
            for (String line : log.split("\n")) if (!line.isBlank()) records.add(JSON.readTree(line));
            assertThat(records).allSatisfy(r -> assertThat(r.path("level").asText()).isNotEmpty());
            JsonNode record = records.stream().filter(r -> plainId.equals(r.path("mdc").path("request_id").asText())).findFirst().orElseThrow();
            assertThat(record.path("mdc").path("trace_id").asText()).isEqualTo(TRACE_ID);
            assertThat(record.path("mdc").path("owner").asText()).isEqualTo("default");
            assertThat(record.path("mdc").path("model").asText()).isEqualTo("support");
            assertThat(record.path("kvpList").toString()).contains("completed").contains("backup");
            assertThat(log).doesNotContain(PROMPT).doesNotContain("sk-down-secret").doesNotContain("sk-up-secret");
        }
    }

    private static HttpResponse<String> chat(GatewayProcess gateway, boolean stream, String traceparent) throws Exception {
        String body = JSON.writeValueAsString(Map.of("model", "support", "stream", stream,
                "messages", List.of(Map.of("role", "user", "content", PROMPT))));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/chat/completions"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (traceparent != null) request.header("traceparent", traceparent);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static OtlpReceiver.Received callSpan(OtlpReceiver receiver, String requestId) {
        return receiver.spans().stream().filter(s -> s.attribute("sluice.request_id").filter(requestId::equals).isPresent()).findFirst().orElse(null);
    }

    private static List<OtlpReceiver.Received> childrenOf(List<OtlpReceiver.Received> spans, OtlpReceiver.Received parent) {
        return spans.stream().filter(s -> s.traceId().equals(parent.traceId()) && s.parentId().equals(parent.spanId())).toList();
    }

    private static OtlpReceiver.Received named(List<OtlpReceiver.Received> spans, String name) {
        return spans.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
