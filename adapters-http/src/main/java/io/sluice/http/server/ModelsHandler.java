package io.sluice.http.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.error.ModelNotFoundException;
import io.sluice.http.openai.JsonBodies;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.ports.in.ModelDirectory;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;
import java.util.List;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: the models and routes a call may name, as OpenAI's model
 * objects. A route is owned by {@code sluice-route}; a model by its provider.
 */
final class ModelsHandler {
    static final String ROUTE_OWNER = "sluice-route";
    private final ModelDirectory models;
    private final Supplier<List<String>> routeNames;
    private final OpenAiJson json;

    ModelsHandler(ModelDirectory models, Supplier<List<String>> routeNames, OpenAiJson json) {
        this.models = models;
        this.routeNames = routeNames;
        this.json = json;
    }

    void list(RoutingContext ctx) {
        ObjectNode root = json.mapper().createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (ModelSpec m : models.models()) write(data.addObject(), m.name(), m.provider());
        for (String route : routeNames.get()) write(data.addObject(), route, ROUTE_OWNER);
        ctx.response().putHeader("content-type", "application/json").end(root.toString());
    }

    /** The id is the rest of the path, decoded: model names may hold a slash ({@code meta-llama/Llama-3.3-70B}). */
    void retrieve(RoutingContext ctx) {
        String id = ctx.pathParam("param0");
        ObjectNode model = json.mapper().createObjectNode();
        String owner = models.models().stream().filter(m -> m.name().equals(id)).map(ModelSpec::provider).findFirst()
                .orElse(routeNames.get().contains(id) ? ROUTE_OWNER : null);
        if (owner == null) {
            ErrorResponses.send(ctx.response(), json, ErrorResponses.toApiError(new ModelNotFoundException(JsonBodies.clip(id))));
            return;
        }
        write(model, id, owner);
        ctx.response().putHeader("content-type", "application/json").end(model.toString());
    }

    private static void write(ObjectNode node, String id, String owner) {
        node.put("id", id).put("object", "model").put("created", 0).put("owned_by", owner);
    }
}
