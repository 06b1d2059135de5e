package io.sluice.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.keys.ApiKey;
import io.sluice.http.internal.OpenAiJson;
import io.sluice.ports.in.ApiKeys;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code /admin/keys}: create a key ({@code POST {"owner", "name"}}; the secret is in this answer only), list keys
 * (never their secrets) and revoke one ({@code DELETE /admin/keys/{id}}).
 */
final class KeysHandler {
    private final ApiKeys keys;
    private final OpenAiJson json;

    KeysHandler(ApiKeys keys, OpenAiJson json) {
        this.keys = keys;
        this.json = json;
    }

    void create(RoutingContext ctx) {
        JsonNode body;
        try {
            Buffer buffer = ctx.body().buffer();
            body = buffer == null || buffer.length() == 0 ? json.mapper().createObjectNode() : json.mapper().readTree(buffer.getBytes());
        } catch (IOException e) {
            ErrorResponses.send(ctx.response(), json, ErrorResponses.toApiError(new InvalidRequestException("The body is not valid JSON", null, "invalid_json")));
            return;
        }
        JsonNode owner = body.path("owner");
        JsonNode name = body.path("name");
        if (!owner.isTextual() || (!name.isMissingNode() && !name.isNull() && !name.isTextual())) {
            ErrorResponses.send(ctx.response(), json, ErrorResponses.toApiError(
                    new InvalidRequestException("'owner' (a string) is required; 'name' is an optional string", "owner")));
            return;
        }
        respond(ctx, 201, keys.create(owner.textValue(), name.isTextual() ? name.textValue() : null),
                issued -> write(issued.key()).put("key", issued.secret()));
    }

    void list(RoutingContext ctx) {
        respond(ctx, 200, keys.list(), list -> {
            ObjectNode root = json.mapper().createObjectNode().put("object", "list");
            list.forEach(k -> root.withArray("data").add(write(k)));
            if (list.isEmpty()) root.putArray("data");
            return root;
        });
    }

    void revoke(RoutingContext ctx) {
        respond(ctx, 200, keys.revoke(ctx.pathParam("id")), this::write);
    }

    private ObjectNode write(ApiKey key) {
        ObjectNode node = json.mapper().createObjectNode().put("id", key.id()).put("object", "api_key").put("owner", key.owner())
                .put("name", key.name()).put("created_at", key.createdAt().getEpochSecond());
        if (key.revokedAt().isPresent()) node.put("revoked_at", key.revokedAt().get().getEpochSecond());
        else node.putNull("revoked_at");
        return node;
    }

    private <T> void respond(RoutingContext ctx, int status, CompletionStage<T> stage, Function<T, ObjectNode> write) {
        Context context = ctx.vertx().getOrCreateContext();
        stage.whenComplete((result, error) -> context.runOnContext(v -> {
            if (error != null) ErrorResponses.send(ctx.response(), json, ErrorResponses.toApiError(error));
            else ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(write.apply(result).toString());
        }));
    }
}
