package io.sluice.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ContentPart;
import io.sluice.domain.Role;
import io.sluice.domain.ToolCall;
import java.util.ArrayList;
import java.util.List;

/** A chat message as the fields of a compact JSON object, the same in every Redis entry that holds one. Thread-safe. */
final class ChatMessageJson {
    private ChatMessageJson() {}

    /** Puts {@code message}'s fields into {@code node}, and returns it. */
    static ObjectNode write(ObjectNode node, ChatMessage message) {
        node.put("role", message.role().wireName()).put("content", message.content()).put("name", message.name())
                .put("toolCallId", message.toolCallId());
        for (ToolCall call : message.toolCalls()) {
            node.withArray("calls").addObject().put("id", call.id()).put("name", call.name()).put("args", call.argumentsJson());
        }
        for (ContentPart part : message.parts()) part(node.withArray("parts").addObject(), part);
        return node;
    }

    static ChatMessage read(JsonNode node) {
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode call : node.path("calls")) calls.add(new ToolCall(call.path("id").asText(), call.path("name").asText(), call.path("args").asText()));
        Role role = Role.fromWire(node.path("role").asText()).orElseThrow();
        return new ChatMessage(role, text(node.path("content")), text(node.path("name")), calls, text(node.path("toolCallId")), parts(node.path("parts")));
    }

    /** A content part as a flat object by kind, the text columns of the JDBC store's rows. */
    private static void part(ObjectNode node, ContentPart part) {
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

    static String text(JsonNode node) {
        return node.isTextual() ? node.textValue() : null;
    }
}
