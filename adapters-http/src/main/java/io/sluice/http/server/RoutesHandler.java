package io.sluice.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.http.openai.JsonBodies;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.ports.in.RouteAdmin;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /admin/routes}: each route's deployments with their weights and health, and {@code PUT
 * /admin/routes/{name}/weights} with a body like {@code {"stable": 90, "canary": 10}} to change the split at runtime: kept
 * in the database, and applied by every replica within a second.
 */
final class RoutesHandler {
    private final RouteAdmin routes;
    private final OpenAiJson json;

    RoutesHandler(RouteAdmin routes, OpenAiJson json) {
        this.routes = routes;
        this.json = json;
    }

    void list(RoutingContext ctx) {
        ObjectNode root = json.mapper().createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (RouteAdmin.RouteReport report : routes.routes()) write(data.addObject(), report);
        ctx.response().putHeader("content-type", "application/json").end(root.toString());
    }

    void setWeights(RoutingContext ctx) {
        Replies.json(ctx, json, 200, () -> routes.setWeights(ctx.pathParam("name"), readWeights(ctx.body().buffer())),
                report -> write(json.mapper().createObjectNode(), report).toString());
    }

    private Map<String, Integer> readWeights(Buffer body) {
        JsonNode root = JsonBodies.read(json.mapper(), body == null ? null : body.getBytes());
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new InvalidRequestException("The body must be an object of deployment names to weights, e.g. {\"stable\": 90, \"canary\": 10}",
                    null, "invalid_weights");
        }
        Map<String, Integer> weights = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                throw new InvalidRequestException("The weight of '" + field.getKey() + "' must be a whole number", field.getKey(), "invalid_weight");
            }
            weights.put(field.getKey(), value.intValue());
        }
        return weights;
    }

    private static ObjectNode write(ObjectNode node, RouteAdmin.RouteReport report) {
        node.put("name", report.name());
        node.put("active_window", report.activeWindow());
        ArrayNode deployments = node.putArray("deployments");
        for (RouteAdmin.DeploymentReport d : report.deployments()) {
            ObjectNode o = deployments.addObject().put("name", d.name()).put("weight", d.weight());
            d.chain().forEach(o.putArray("chain")::add);
            o.putObject("health").put("requests", d.requests()).put("errors", d.errors()).put("error_rate", d.errorRate())
                    .put("p50_ms", d.p50Millis()).put("p95_ms", d.p95Millis());
        }
        return node;
    }
}
