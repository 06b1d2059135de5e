package io.sluice.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.batch.Batch;
import io.sluice.domain.batch.BatchStatus;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.http.openai.JsonBodies;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.ports.in.Batches;
import io.sluice.ports.in.Caller;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /v1/batches}, as OpenAI's Batch API: create (from a file uploaded with purpose {@code batch}), retrieve, list
 * (newest first, paged) and cancel the caller's batches; their output and error files are read through
 * {@code /v1/files}. Every route is scoped to the caller's owner.
 */
final class BatchesHandler {
    private static final int MAX_LIST = 100;
    private final Batches batches;
    private final OpenAiJson json;

    BatchesHandler(Batches batches, OpenAiJson json) {
        this.batches = batches;
        this.json = json;
    }

    void create(RoutingContext ctx) {
        Replies.json(ctx, json, 200, () -> {
            JsonNode body = JsonBodies.read(json.mapper(), ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
            if (!body.isObject()) throw new InvalidRequestException("The body must be a JSON object", null);
            Map<String, String> metadata = new LinkedHashMap<>();
            JsonNode given = body.path("metadata");
            if (!given.isMissingNode() && !given.isNull()) {
                if (!given.isObject()) throw new InvalidRequestException("'metadata' must be an object of strings", "metadata");
                given.properties().forEach(e -> {
                    if (!e.getValue().isTextual()) throw new InvalidRequestException("'metadata' must be an object of strings", "metadata");
                    metadata.put(e.getKey(), e.getValue().textValue());
                });
            }
            Caller caller = new Caller(Authenticator.owner(ctx), null, Authenticator.key(ctx));
            return batches.create(caller, text(body, "input_file_id"), text(body, "endpoint"), text(body, "completion_window"), metadata);
        }, batch -> write(json.mapper().createObjectNode(), batch).toString());
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (!value.isTextual()) throw new InvalidRequestException("'" + field + "' is required, as a string", field);
        return value.textValue();
    }

    void get(RoutingContext ctx) {
        Replies.json(ctx, json, 200, () -> batches.get(Authenticator.owner(ctx), ctx.pathParam("id")),
                batch -> write(json.mapper().createObjectNode(), batch).toString());
    }

    void cancel(RoutingContext ctx) {
        Replies.json(ctx, json, 200, () -> batches.cancel(Authenticator.owner(ctx), ctx.pathParam("id")),
                batch -> write(json.mapper().createObjectNode(), batch).toString());
    }

    void list(RoutingContext ctx) {
        Replies.json(ctx, json, 200, () -> batches.list(Authenticator.owner(ctx), ctx.request().getParam("after"), Paging.limit(ctx, 20, MAX_LIST)),
                page -> Paging.write(json.mapper(), page, Batch::id, BatchesHandler::write));
    }

    /** OpenAI's batch object. */
    static ObjectNode write(ObjectNode node, Batch b) {
        node.put("id", b.id()).put("object", "batch").put("endpoint", b.endpoint());
        if (b.failure() == null) node.putNull("errors");
        else node.putObject("errors").put("object", "list").putArray("data").addObject().put("code", "batch_failed").put("message", b.failure());
        node.put("input_file_id", b.inputFileId()).put("completion_window", b.completionWindow()).put("status", b.status().wire())
                .put("output_file_id", b.outputFileId()).put("error_file_id", b.errorFileId()).put("created_at", b.createdAt().getEpochSecond())
                .put("expires_at", b.expiresAt().getEpochSecond());
        for (BatchStatus s : BatchStatus.values()) {
            if (s == BatchStatus.VALIDATING) continue;
            Instant at = b.at(s);
            if (at == null) node.putNull(s.wire() + "_at");
            else node.put(s.wire() + "_at", at.getEpochSecond());
        }
        node.putObject("request_counts").put("total", b.counts().total()).put("completed", b.counts().completed()).put("failed", b.counts().failed());
        ObjectNode metadata = node.putObject("metadata");
        b.metadata().forEach(metadata::put);
        return node;
    }
}
