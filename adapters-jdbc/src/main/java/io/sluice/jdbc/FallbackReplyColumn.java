package io.sluice.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.sla.FallbackReply;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A key's fallback reply as the {@code fallback_reply} column's JSON: {@code {"texts": {"default": "..."}, "on": ["budget"]}}. */
final class FallbackReplyColumn {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FallbackReplyColumn() {}

    static String write(Optional<FallbackReply> reply) {
        if (reply.isEmpty()) return null;
        ObjectNode root = JSON.createObjectNode();
        reply.get().texts().forEach(root.putObject("texts")::put);
        var on = root.putArray("on");
        for (FallbackReply.Failure failure : reply.get().on()) on.add(failure.label());
        return root.toString();
    }

    static Optional<FallbackReply> read(String column) {
        if (column == null) return Optional.empty();
        try {
            JsonNode root = JSON.readTree(column);
            Map<String, String> texts = new LinkedHashMap<>();
            root.path("texts").properties().forEach(e -> texts.put(e.getKey(), e.getValue().asText()));
            Set<FallbackReply.Failure> on = EnumSet.noneOf(FallbackReply.Failure.class);
            for (JsonNode failure : root.path("on")) on.add(FallbackReply.Failure.named(failure.asText()));
            return Optional.of(new FallbackReply(texts, on));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("api_keys.fallback_reply is not JSON", e);
        }
    }
}
