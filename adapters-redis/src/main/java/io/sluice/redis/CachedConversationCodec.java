package io.sluice.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ContentPart;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.Role;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.ToolCall;
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
        ChatMessage msg = m.message();
        ObjectNode node = json.createObjectNode();
        node.put("seq", m.seq()).put("role", msg.role().wireName()).put("content", msg.content()).put("name", msg.name())
                .put("toolCallId", msg.toolCallId()).put("tokens", m.tokenCount()).put("model", m.model())
                .put("created", m.created().toString());
        for (ToolCall call : msg.toolCalls()) {
            node.withArray("calls").addObject().put("id", call.id()).put("name", call.name()).put("args", call.argumentsJson());
        }
        node.set("meta", map(m.metadata()));
        for (ContentPart part : msg.parts()) parts(node.withArray("parts").addObject(), part);
        return node;
    }

    /** A content part as a flat object by kind, the text columns of the JDBC store's rows. */
    private static void parts(ObjectNode node, ContentPart part) {
        switch (part) {
            case ContentPart.Text t -> node.put("kind", "text").put("text", t.text());
            case ContentPart.Image i -> node.put("kind", "image").put("url", i.url()).put("detail", i.detail());
            case ContentPart.Audio a -> node.put("kind", "audio").put("data", a.data()).put("format", a.format());
            case ContentPart.File f -> node.put("kind", "file").put("file_id", f.fileId()).put("file_data", f.fileData()).put("filename", f.filename());
        }
    }

    private static List<ContentPart> parts(JsonNode array) {
        List<ContentPart> parts = new ArrayList<>();
        for (JsonNode p : array) {
            parts.add(switch (p.path("kind").asText()) {
                case "text" -> new ContentPart.Text(p.path("text").asText());
                case "image" -> new ContentPart.Image(p.path("url").asText(), text(p.path("detail")));
                case "audio" -> new ContentPart.Audio(p.path("data").asText(), p.path("format").asText());
                default -> new ContentPart.File(text(p.path("file_id")), text(p.path("file_data")), text(p.path("filename")));
            });
        }
        return parts;
    }

    private static List<StoredMessage> messages(ConversationId id, JsonNode array) {
        List<StoredMessage> messages = new ArrayList<>();
        for (JsonNode n : array) {
            List<ToolCall> calls = new ArrayList<>();
            for (JsonNode call : n.path("calls")) calls.add(new ToolCall(call.path("id").asText(), call.path("name").asText(), call.path("args").asText()));
            Role role = Role.fromWire(n.path("role").asText()).orElseThrow();
            ChatMessage message = new ChatMessage(role, text(n.path("content")), text(n.path("name")), calls, text(n.path("toolCallId")),
                    parts(n.path("parts")));
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
