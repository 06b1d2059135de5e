package io.sluice.http.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.ModelSpec;
import io.sluice.domain.Prices;
import io.sluice.domain.error.ModelNotFoundException;
import io.sluice.http.openai.JsonBodies;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.ports.in.ModelDirectory;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;
import java.util.List;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: the models and routes a call may name, as OpenAI's model
 * objects. A route is owned by {@code sluice-route}; a model by its provider, and it carries its context window and
 * prices ({@code pricing}, with where they came from: the configuration, the model catalog, or none).
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
        for (ModelSpec m : models.models()) describe(write(data.addObject(), m.name(), m.provider()), m);
        for (String route : routeNames.get()) write(data.addObject(), route, ROUTE_OWNER);
        ctx.response().putHeader("content-type", "application/json").end(root.toString());
    }

    /** The id is the rest of the path, decoded: model names may hold a slash ({@code meta-llama/Llama-3.3-70B}). */
    void retrieve(RoutingContext ctx) {
        String id = ctx.pathParam("param0");
        ObjectNode model = json.mapper().createObjectNode();
        java.util.Optional<ModelSpec> spec = models.models().stream().filter(m -> m.name().equals(id)).findFirst();
        String owner = spec.map(ModelSpec::provider).orElse(routeNames.get().contains(id) ? ROUTE_OWNER : null);
        if (owner == null) {
            ErrorResponses.send(ctx.response(), json, ErrorResponses.toApiError(new ModelNotFoundException(JsonBodies.clip(id))));
            return;
        }
        write(model, id, owner);
        spec.ifPresent(m -> describe(model, m));
        ctx.response().putHeader("content-type", "application/json").end(model.toString());
    }

    private static ObjectNode write(ObjectNode node, String id, String owner) {
        return node.put("id", id).put("object", "model").put("created", 0).put("owned_by", owner);
    }

    /** What the gateway knows of a model besides OpenAI's fields (which clients ignore): its window and its prices. */
    private static void describe(ObjectNode node, ModelSpec m) {
        node.put("context_window", m.contextWindow());
        Prices p = m.prices();
        ObjectNode pricing = node.putObject("pricing");
        pricing.put("currency", "USD").put("unit", "per_million_tokens").put("input", p.inputPerMillion()).put("output", p.outputPerMillion())
                .put("cached_input", p.cachedInputPerMillion()).put("cache_write", p.cacheWritePerMillion()).put("source", p.source());
    }
}
