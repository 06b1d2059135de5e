package io.sluice.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.context.Summary;
import io.sluice.ports.out.CachedConversation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A cache entry as compact JSON; instants as ISO-8601 so that they round-trip exactly. Thread-safe. */
final class CachedConversationCodec {
    private final ObjectMapper json;

    CachedConversationCodec(ObjectMapper json) {
        this.json = json;
    }

    String write(CachedConversation entry) {
        ObjectNode root = json.createObjectNode();
        Conversation c = entry.conversation();
        ObjectNode conv = root.putObject("c");
        conv.put("id", c.id().value()).put("owner", c.owner()).put("user", c.user()).put("created", c.created().toString())
                .put("updated", c.updated().toString()).put("active", c.active())
                .put("strategy", c.defaultStrategy().map(Object::toString).orElse(null));
        conv.set("meta", map(c.metadata()));
        root.put("seq", entry.lastSeq()).put("complete", entry.tailComplete()).put("covered", entry.coveredTokens());
        if (entry.summary() != null) {
            root.putObject("summary").put("text", entry.summary().text()).put("through", entry.summary().throughSeq())
                    .put("tokens", entry.summary().tokens());
        }
        entry.systemPrompt().forEach(m -> root.withArray("system").add(message(m)));
        ArrayNode tail = root.putArray("tail");
        entry.tail().forEach(m -> tail.add(message(m)));
        return root.toString();
    }

    CachedConversation read(String text) {
        try {
            JsonNode root = json.readTree(text);
            JsonNode c = root.path("c");
            ConversationId id = new ConversationId(c.path("id").asText());
            Conversation conversation = new Conversation(id, c.path("owner").asText(), text(c.path("user")),
                    Instant.parse(c.path("created").asText()), Instant.parse(c.path("updated").asText()), map(c.path("meta")),
                    c.path("active").asBoolean(), c.hasNonNull("strategy") ? ContextStrategy.parse(c.path("strategy").asText()) : null);
            return new CachedConversation(conversation, messages(id, root.path("system")), messages(id, root.path("tail")),
                    root.path("complete").asBoolean(), root.path("seq").asLong(), summary(root.path("summary")), root.path("covered").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException("a cached conversation could not be read", e);
        }
    }

    private static Summary summary(JsonNode node) {
        return node.isObject() ? new Summary(node.path("text").asText(), node.path("through").asLong(), node.path("tokens").asInt()) : null;
    }

    private ObjectNode message(StoredMessage m) {
        ObjectNode node = ChatMessageJson.write(json.createObjectNode(), m.message());
        node.put("seq", m.seq()).put("tokens", m.tokenCount()).put("model", m.model()).put("created", m.created().toString());
        node.set("meta", map(m.metadata()));
        return node;
    }

    private static List<StoredMessage> messages(ConversationId id, JsonNode array) {
        List<StoredMessage> messages = new ArrayList<>();
        for (JsonNode n : array) {
            ChatMessage message = ChatMessageJson.read(n);
            messages.add(new StoredMessage(id, n.path("seq").asLong(), message, n.path("tokens").asInt(), text(n.path("model")),
                    Instant.parse(n.path("created").asText()), map(n.path("meta"))));
        }
        return messages;
    }

    private ObjectNode map(Map<String, String> values) {
        ObjectNode node = json.createObjectNode();
        values.forEach(node::put);
        return node;
    }

    private static Map<String, String> map(JsonNode node) {
        Map<String, String> values = new HashMap<>();
        node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        return values;
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.textValue() : null;
    }
}
