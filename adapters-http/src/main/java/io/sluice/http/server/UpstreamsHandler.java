package io.sluice.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.http.openai.JsonBodies;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.ports.in.RouteHealth;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /admin/upstreams}: circuits, keys (a disabled one with how long until it is tried again) and endpoints.
 * {@code POST /admin/upstreams/keys/enable} with {@code {"endpoint": ..., "key": ...}}: enables a disabled key at once.
 */
final class UpstreamsHandler {
    private final RouteHealth health;
    private final io.sluice.ports.in.UpstreamKeyAdmin keys;
    private final OpenAiJson json;

    UpstreamsHandler(RouteHealth health, io.sluice.ports.in.UpstreamKeyAdmin keys, OpenAiJson json) {
        this.health = health;
        this.keys = keys;
        this.json = json;
    }

    /** {@code POST /admin/upstreams/{endpoint}/keys} with {@code {"api_key": ..., "rpm": ..., "tpm": ...}}: 201 with its label, never the key. */
    void addKey(RoutingContext ctx) {
        Replies.json(ctx, json, 201, () -> {
            Buffer body = ctx.body().buffer();
            JsonNode root = JsonBodies.readObject(json.mapper().reader(), body == null ? null : body.getBytes());
            JsonNode apiKey = root.path("api_key");
            if (!apiKey.isTextual()) throw new InvalidRequestException("'api_key' (a string) is required", "api_key");
            return keys.add(ctx.pathParam("endpoint"), apiKey.textValue(), whole(root, "rpm"), whole(root, "tpm"));
        }, key -> json.mapper().createObjectNode().put("endpoint", key.endpoint()).put("key", key.label()).put("rpm", key.rpm())
                .put("tpm", key.tpm()).put("created_at", key.createdAt().getEpochSecond()).toString());
    }

    /** {@code DELETE /admin/upstreams/{endpoint}/keys/{key}}: a key added at runtime, out of use on every replica. */
    void removeKey(RoutingContext ctx) {
        io.vertx.core.Context context = ctx.vertx().getOrCreateContext();
        keys.remove(ctx.pathParam("endpoint"), ctx.pathParam("key")).whenComplete((removed, error) -> context.runOnContext(v -> {
            if (error != null) {
                ErrorResponses.send(ctx.response(), json, ErrorResponses.toApiError(io.sluice.domain.error.Failures.cause(error)));
            } else if (!removed) {
                ErrorResponses.send(ctx.response(), json, new ErrorResponses.ApiError(404, "invalid_request_error", "upstream_key_not_found", "key",
                        "No upstream key '" + clip(ctx.pathParam("key")) + "' added at runtime on endpoint '" + clip(ctx.pathParam("endpoint")) + "'", null));
            } else {
                ctx.response().setStatusCode(204).end();
            }
        }));
    }

    private static int whole(JsonNode root, String field) {
        JsonNode value = root.path(field);
        if (value.isMissingNode() || value.isNull()) return 0;
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0) {
            throw new InvalidRequestException("'" + field + "' must be a whole number of 0 (no limit) or more", field);
        }
        return value.intValue();
    }

    void list(RoutingContext ctx) {
        ObjectNode root = json.mapper().createObjectNode();
        ObjectNode circuits = root.putObject("circuits");
        health.circuits().forEach(circuits::put);
        ArrayNode keys = root.putArray("keys");
        for (RouteHealth.KeyState k : health.keys()) keys.add(key(k));
        ArrayNode endpoints = root.putArray("endpoints");
        for (RouteHealth.EndpointState e : health.endpoints()) {
            ObjectNode node = endpoints.addObject().put("model", e.model()).put("endpoint", e.endpoint()).put("state", e.state())
                    .put("latency_ewma_ms", e.latencyEwmaMillis()).put("failure_rate_ewma", e.failureRateEwma());
            e.errors().forEach(node.putObject("errors")::put);
        }
        ctx.response().putHeader("content-type", "application/json").end(root.toString());
    }

    /** {@code POST /admin/upstreams/keys/enable} with {@code {"endpoint", "key"}}: enabled here at once, on every replica within a second. */
    void enableKey(RoutingContext ctx) {
        io.vertx.core.Context context = ctx.vertx().getOrCreateContext();
        String endpoint;
        String key;
        try {
            Buffer body = ctx.body().buffer();
            JsonNode root = JsonBodies.readObject(json.mapper().reader(), body == null ? null : body.getBytes());
            if (!root.path("endpoint").isTextual() || !root.path("key").isTextual()) {
                throw new InvalidRequestException("'endpoint' and 'key' (strings, as GET /admin/upstreams names them) are required",
                        root.path("endpoint").isTextual() ? "key" : "endpoint");
            }
            endpoint = root.path("endpoint").textValue();
            key = root.path("key").textValue();
        } catch (RuntimeException e) {
            ErrorResponses.send(ctx.response(), json, ErrorResponses.toApiError(e));
            return;
        }
        keys.enable(endpoint, key).whenComplete((found, error) -> context.runOnContext(v -> {
            if (error != null) {
                ErrorResponses.send(ctx.response(), json, ErrorResponses.toApiError(io.sluice.domain.error.Failures.cause(error)));
                return;
            }
            // the key may have been removed meanwhile (a runtime key, on another replica): then it is not found
            java.util.Optional<RouteHealth.KeyState> state = found
                    ? health.keys().stream().filter(k -> k.endpoint().equals(endpoint) && k.key().equals(key)).findFirst() : java.util.Optional.empty();
            if (state.isEmpty()) {
                ErrorResponses.send(ctx.response(), json, new ErrorResponses.ApiError(404, "invalid_request_error", "upstream_key_not_found", "key",
                        "No upstream key '" + clip(key) + "' on endpoint '" + clip(endpoint) + "'", null));
            } else {
                ctx.response().putHeader("content-type", "application/json").end(key(state.get()).toString());
            }
        }));
    }

    private ObjectNode key(RouteHealth.KeyState k) {
        return json.mapper().createObjectNode().put("endpoint", k.endpoint()).put("key", k.key()).put("state", k.state())
                .put("retry_in_s", k.retryIn().toSeconds());
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
