package io.sluice.http.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.batch.BatchLine;
import io.sluice.http.upstream.UpstreamHttp;
import io.sluice.ports.out.UpstreamBatches;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Anthropic's Message Batches: the requests sent as Messages API params ({@code POST /messages/batches}), asked after
 * ({@code GET /messages/batches/{id}}, {@code processing_status: ended}), their results read as JSONL
 * ({@code GET /messages/batches/{id}/results}) and translated back, and cancelled ({@code POST .../cancel}). Thread-safe.
 */
final class AnthropicBatches implements UpstreamBatches {
    private final UpstreamHttp http;
    private final AnthropicJson json;
    private final ObjectMapper mapper;
    private final Map<String, String> headers;
    private final Map<String, String> structuredHeaders;
    private final String batchesUrl;

    /** @param structuredHeaders the headers of a request that asks for structured outputs (a beta) */
    AnthropicBatches(UpstreamHttp http, AnthropicJson json, Map<String, String> headers, Map<String, String> structuredHeaders, String baseUrl) {
        this.http = http;
        this.json = json;
        this.mapper = json.mapper();
        this.headers = headers;
        this.structuredHeaders = structuredHeaders;
        this.batchesUrl = UpstreamHttp.join(baseUrl, "/messages/batches");
    }

    @Override
    public CompletionStage<String> submit(List<BatchLine> lines) {
        ObjectNode body = mapper.createObjectNode();
        ArrayNode requests = body.putArray("requests");
        boolean structured = false;
        try {
            for (BatchLine line : lines) {
                requests.addObject().put("custom_id", UpstreamBatches.upstreamId(line)).set("params", mapper.readTree(json.writeRequest(line.request(), false)));
                structured |= AnthropicJson.needsStructuredOutputs(line.request().options());
            }
            return http.sendJson(HttpMethod.POST, batchesUrl, structured ? structuredHeaders : headers, "application/json", mapper.writeValueAsBytes(body))
                    .thenApply(created -> created.path("id").asText());
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new UncheckedIOException(e));
        }
    }

    @Override
    public CompletionStage<State> state(String upstreamId) {
        return http.sendJson(HttpMethod.GET, batchesUrl + "/" + upstreamId, headers, null, null).thenApply(b -> {
            JsonNode counts = b.path("request_counts");
            // Anthropic ends a batch as "ended" whatever came of it: a cancel asked for ends it cancelled
            io.sluice.domain.batch.BatchStatus endedAs = !"ended".equals(b.path("processing_status").asText()) ? null
                    : b.hasNonNull("cancel_initiated_at") ? io.sluice.domain.batch.BatchStatus.CANCELLED : io.sluice.domain.batch.BatchStatus.COMPLETED;
            return new State(endedAs, counts.path("succeeded").asInt(), counts.path("errored").asInt());
        });
    }

    @Override
    public CompletionStage<List<Outcome>> results(String upstreamId) {
        return http.send(HttpMethod.GET, batchesUrl + "/" + upstreamId + "/results", headers, null, null).thenApply(bytes -> {
            List<Outcome> outcomes = new ArrayList<>();
            for (JsonNode line : io.sluice.http.upstream.JsonLines.read(mapper, new String(bytes, StandardCharsets.UTF_8))) {
                int index = UpstreamBatches.lineOf(line.path("custom_id").asText());
                if (index < 0) continue; // not a line of ours
                JsonNode result = line.path("result");
                switch (result.path("type").asText()) {
                    case "succeeded" -> outcomes.add(new Outcome(index, json.readResponse(result.path("message")), 200, null));
                    case "errored" -> {
                        JsonNode error = result.path("error").path("error");
                        int status = "invalid_request_error".equals(error.path("type").asText()) ? 400 : 500;
                        outcomes.add(new Outcome(index, null, status, error.path("message").asText("failed")));
                    }
                    default -> outcomes.add(new Outcome(index, null, 0, result.path("type").asText())); // canceled, expired
                }
            }
            return outcomes;
        });
    }

    @Override
    public CompletionStage<Void> cancel(String upstreamId) {
        return http.sendJson(HttpMethod.POST, batchesUrl + "/" + upstreamId + "/cancel", headers, "application/json", new byte[0]).thenApply(x -> null);
    }
}
