package io.sluice.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.keys.ApiKey;
import io.sluice.http.openai.JsonBodies;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.ports.in.ApiKeys;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Set;

/**
 * {@code /admin/keys}: create a key ({@code POST {"owner", "name", "defaults", "limits", "budgets"}}; the secret is in
 * this answer only), list keys (never their secrets), replace a key's policy ({@code PUT /admin/keys/{id}/policy}) and
 * revoke one ({@code DELETE /admin/keys/{id}}).
 */
final class KeysHandler {
    private final ApiKeys keys;
    private final OpenAiJson json;
    private final KeyPolicyJson policies;
    private final com.fasterxml.jackson.databind.ObjectReader exactDecimals;

    /** @param routes the models and routes a key's default route may name */
    KeysHandler(ApiKeys keys, OpenAiJson json, Set<String> routes) {
        this.keys = keys;
        this.json = json;
        this.policies = new KeyPolicyJson(routes);
        // budgets are money: 999999999.123456789 read as a double would come back 999999999.1234568
        this.exactDecimals = json.mapper().reader().with(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }

    void create(RoutingContext ctx) {
        Replies.json(ctx, json, 201, () -> {
            JsonNode body = body(ctx);
            JsonNode owner = body.path("owner");
            JsonNode name = body.path("name");
            if (!owner.isTextual() || (!name.isMissingNode() && !name.isNull() && !name.isTextual())) {
                throw new InvalidRequestException("'owner' (a string) is required; 'name' is an optional string", "owner");
            }
            return keys.create(owner.textValue(), name.isTextual() ? name.textValue() : null, policies.read(body));
        }, issued -> write(issued.key()).put("key", issued.secret()).toString());
    }

    void setPolicy(RoutingContext ctx) {
        Replies.json(ctx, json, 200, () -> keys.setPolicy(ctx.pathParam("id"), policies.read(body(ctx))), key -> write(key).toString());
    }

    private JsonNode body(RoutingContext ctx) {
        Buffer buffer = ctx.body().buffer();
        JsonNode body = JsonBodies.readObject(exactDecimals, buffer == null ? null : buffer.getBytes());
        JsonBodies.requireStorable(body, "");
        return body;
    }

    void list(RoutingContext ctx) {
        Replies.json(ctx, json, 200, keys::list, list -> {
            ObjectNode root = json.mapper().createObjectNode().put("object", "list");
            ArrayNode data = root.putArray("data");
            list.forEach(k -> data.add(write(k)));
            return root.toString();
        });
    }

    void revoke(RoutingContext ctx) {
        Replies.json(ctx, json, 200, () -> keys.revoke(ctx.pathParam("id")), key -> write(key).toString());
    }

    private ObjectNode write(ApiKey key) {
        ObjectNode node = json.mapper().createObjectNode().put("id", key.id()).put("object", "api_key").put("owner", key.owner())
                .put("name", key.name()).put("created_at", key.createdAt().getEpochSecond());
        if (key.revokedAt().isPresent()) node.put("revoked_at", key.revokedAt().get().getEpochSecond());
        else node.putNull("revoked_at");
        policies.write(key.policy(), node);
        return node;
    }
}
