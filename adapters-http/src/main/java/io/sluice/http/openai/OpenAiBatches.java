package io.sluice.http.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.batch.BatchLine;
import io.sluice.http.upstream.UpstreamHttp;
import io.sluice.ports.in.Batches;
import io.sluice.ports.out.UpstreamBatches;
import io.vertx.core.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.sluice.domain.batch.BatchStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * OpenAI's Batch API: the requests uploaded as a JSONL file ({@code POST /files}, purpose {@code batch}), a batch made
 * of it ({@code POST /batches}), asked after ({@code GET /batches/{id}}), its output and error files read when it has
 * ended, and cancelled ({@code POST /batches/{id}/cancel}). Thread-safe.
 */
final class OpenAiBatches implements UpstreamBatches {
    /** How OpenAI's ended batches end, by their status. */
    private static final Map<String, BatchStatus> ENDED = Map.of("completed", BatchStatus.COMPLETED, "failed", BatchStatus.FAILED,
            "expired", BatchStatus.EXPIRED, "cancelled", BatchStatus.CANCELLED);
    private final UpstreamHttp http;
    private final OpenAiJson json;
    private final ObjectMapper mapper;
    private final Map<String, String> headers;
    private final String base;

    OpenAiBatches(UpstreamHttp http, OpenAiJson json, Map<String, String> headers, String baseUrl) {
        this.http = http;
        this.json = json;
        this.mapper = json.mapper();
        this.headers = headers;
        this.base = baseUrl;
    }

    @Override
    public CompletionStage<String> submit(List<BatchLine> lines) {
        StringBuilder file = new StringBuilder();
        try {
            for (BatchLine line : lines) {
                ObjectNode request = mapper.createObjectNode().put("custom_id", UpstreamBatches.upstreamId(line)).put("method", "POST").put("url", Batches.CHAT_ENDPOINT);
                request.set("body", mapper.readTree(json.writeRequest(line.request(), false)));
                file.append(request).append('\n');
            }
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new UncheckedIOException(e));
        }
        String boundary = "sluice-" + java.util.UUID.randomUUID();
        return http.sendJson(HttpMethod.POST, UpstreamHttp.join(base, "/files"), headers, "multipart/form-data; boundary=" + boundary,
                        multipart(boundary, file.toString().getBytes(StandardCharsets.UTF_8)))
                .thenCompose(uploaded -> {
                    ObjectNode batch = mapper.createObjectNode().put("input_file_id", uploaded.path("id").asText())
                            .put("endpoint", Batches.CHAT_ENDPOINT).put("completion_window", Batches.COMPLETION_WINDOW);
                    return http.sendJson(HttpMethod.POST, UpstreamHttp.join(base, "/batches"), headers, "application/json", bytes(batch));
                }).thenApply(created -> created.path("id").asText());
    }

    /** A {@code multipart/form-data} body of the fields the Files API takes: {@code purpose} and {@code file}. */
    private static byte[] multipart(String boundary, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 512);
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"batch.jsonl\"\r\n"
                + "Content-Type: application/jsonl\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Override
    public CompletionStage<State> state(String upstreamId) {
        return batch(upstreamId).thenApply(b -> new State(ENDED.get(b.path("status").asText()), b.path("request_counts").path("completed").asInt(),
                b.path("request_counts").path("failed").asInt()));
    }

    @Override
    public CompletionStage<List<Outcome>> results(String upstreamId) {
        return batch(upstreamId).thenCompose(b -> content(b.path("output_file_id"))
                .thenCombine(content(b.path("error_file_id")), (output, errors) -> {
                    List<Outcome> outcomes = new ArrayList<>();
                    read(output, outcomes);
                    read(errors, outcomes);
                    return outcomes;
                }));
    }

    private CompletionStage<JsonNode> batch(String upstreamId) {
        return http.sendJson(HttpMethod.GET, UpstreamHttp.join(base, "/batches/" + upstreamId), headers, null, null);
    }

    private CompletionStage<String> content(JsonNode fileId) {
        if (!fileId.isTextual()) return CompletableFuture.completedFuture("");
        return http.send(HttpMethod.GET, UpstreamHttp.join(base, "/files/" + fileId.textValue() + "/content"), headers, null, null)
                .thenApply(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    private void read(String file, List<Outcome> outcomes) {
        for (JsonNode line : io.sluice.http.upstream.JsonLines.read(mapper, file)) {
            int index = UpstreamBatches.lineOf(line.path("custom_id").asText());
            if (index < 0) continue; // not a line of ours
            JsonNode response = line.path("response");
            int status = response.path("status_code").asInt(0);
            if (status == 200) outcomes.add(new Outcome(index, json.readResponse(response.path("body")), 200, null));
            else if (status != 0) outcomes.add(new Outcome(index, null, status, response.path("body").path("error").path("message").asText("failed")));
            else outcomes.add(new Outcome(index, null, 0, line.path("error").path("message").asText("not run")));
        }
    }

    @Override
    public CompletionStage<Void> cancel(String upstreamId) {
        return http.sendJson(HttpMethod.POST, UpstreamHttp.join(base, "/batches/" + upstreamId + "/cancel"), headers, "application/json",
                new byte[0]).thenApply(x -> null);
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
