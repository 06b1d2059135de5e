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
import io.sluice.domain.routing.ChainLink;
import io.sluice.domain.routing.Complexity;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /admin/routes}: each route's deployments with their weights and health, and {@code PUT
 * /admin/routes/{name}/weights} with a body like {@code {"stable": 90, "canary": 10}} to change the split at runtime: kept
 * in the database, and applied by every replica within a second; {@code PUT /admin/routes/{name}/chains} likewise sets
 * deployments' degradation chains.
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

    /** {@code PUT /admin/routes/{name}/chains} with {@code {"stable": [{"model": "big", "capability": "complex"}, ...]}}. */
    void setChains(RoutingContext ctx) {
        Replies.json(ctx, json, 200, () -> routes.setChains(ctx.pathParam("name"), readChains(ctx.body().buffer())),
                report -> write(json.mapper().createObjectNode(), report).toString());
    }

    private Map<String, List<ChainLink>> readChains(Buffer body) {
        JsonNode root = JsonBodies.read(json.mapper(), body == null ? null : body.getBytes());
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new InvalidRequestException("The body must be an object of deployment names to chains, e.g. {\"stable\": [{\"model\": \"gpt-4o\", "
                    + "\"capability\": \"complex\"}, {\"model\": \"gpt-4o-mini\", \"capability\": \"simple\"}]}", null, "invalid_chain");
        }
        Map<String, List<ChainLink>> chains = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String deployment = field.getKey();
            if (!field.getValue().isArray() || field.getValue().isEmpty() || field.getValue().size() > MAX_CHAIN) {
                throw new InvalidRequestException("The chain of '" + deployment + "' must be a list of 1 to " + MAX_CHAIN + " links", deployment, "invalid_chain");
            }
            List<ChainLink> chain = new ArrayList<>();
            for (JsonNode link : field.getValue()) {
                if (!link.path("model").isTextual() || !link.path("capability").isTextual()) {
                    throw new InvalidRequestException("Each link of '" + deployment + "' needs a 'model' and a 'capability' (complex, moderate or simple)",
                            deployment, "invalid_chain");
                }
                try {
                    chain.add(new ChainLink(link.path("model").textValue(), Complexity.parse(link.path("capability").textValue())));
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequestException("The chain of '" + deployment + "': " + e.getMessage(), deployment, "invalid_chain");
                }
            }
            chains.put(deployment, chain);
        }
        return chains;
    }

    /** Longer than any sensible degradation chain. */
    private static final int MAX_CHAIN = 16;

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
            d.capabilities().forEach(o.putArray("capabilities")::add);
            o.putObject("health").put("requests", d.requests()).put("errors", d.errors()).put("error_rate", d.errorRate())
                    .put("p50_ms", d.p50Millis()).put("p95_ms", d.p95Millis());
        }
        return node;
    }
}
