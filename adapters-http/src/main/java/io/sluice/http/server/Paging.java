package io.sluice.http.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.ports.out.Page;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** OpenAI's cursor paging, as its list endpoints answer it: {@code limit} read, and a page written as a list object. */
final class Paging {
    private Paging() {}

    /** The {@code limit} query parameter, {@code fallback} when absent; a 400 naming it when it is not 1 to {@code max}. */
    static int limit(RoutingContext ctx, int fallback, int max) {
        String limit = ctx.request().getParam("limit");
        if (limit == null) return fallback;
        try {
            int n = Integer.parseInt(limit);
            if (n >= 1 && n <= max) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException("'limit' must be between 1 and " + max, "limit");
    }

    /** {@code {"object": "list", "data": [...], "first_id", "last_id", "has_more"}}. */
    static <T> String write(ObjectMapper json, Page<T> page, Function<T, String> id, BiConsumer<ObjectNode, T> item) {
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (T t : page.items()) item.accept(data.addObject(), t);
        root.put("first_id", page.items().isEmpty() ? null : id.apply(page.items().getFirst()));
        root.put("last_id", page.items().isEmpty() ? null : id.apply(page.items().getLast()));
        return root.put("has_more", page.hasMore()).toString();
    }
}
