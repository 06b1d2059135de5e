package io.sluice.http.server;

import io.sluice.http.openai.JsonBodies;
import io.sluice.http.openai.JsonFields;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ContentPart;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationStats;
import io.sluice.domain.Role;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.ToolCall;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.ports.in.Conversations;
import io.sluice.ports.out.Page;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The conversations API on the wire, in the shapes of OpenAI's Conversations API ({@code conversation},
 * {@code conversation.deleted}, lists of message items) with Sluice's additions: {@code user},
 * {@code context_strategy}, {@code system_prompt} and {@code stats}; items carry their {@code seq} and {@code tokens}.
 * Thread-safe.
 */
public final class ConversationJson {
    public static final int MAX_USER_LENGTH = 256;
    private final ObjectMapper json;

    public ConversationJson(ObjectMapper json) {
        this.json = json;
    }

    /** Reads a create request; every field is optional and checked. */
    public Conversations.NewConversation readCreate(byte[] body) {
        JsonNode root = JsonBodies.readObject(json.reader(), body);
        JsonBodies.requireStorable(root, "");
        Map<String, String> metadata = metadata(root.get("metadata"));
        String user = JsonFields.optionalString(root, "user", "user");
        if (user != null && user.length() > MAX_USER_LENGTH) {
            throw new InvalidRequestException("'user' is at most " + MAX_USER_LENGTH + " characters", "user");
        }
        String strategy = JsonFields.optionalString(root, "context_strategy", "context_strategy");
        ContextStrategy parsed = null;
        if (strategy != null) {
            try {
                parsed = ContextStrategy.parse(strategy);
            } catch (InvalidRequestException e) {
                throw new InvalidRequestException(e.getMessage(), "context_strategy", e.code());
            }
        }
        return new Conversations.NewConversation(user, metadata, JsonFields.optionalString(root, "system_prompt", "system_prompt"), parsed);
    }

    /** An update's body: {@code {"metadata": {...}}}, which replaces the conversation's. */
    public Map<String, String> readMetadata(byte[] body) {
        JsonNode root = JsonBodies.readObject(json.reader(), body);
        JsonBodies.requireStorable(root, "");
        if (!root.has("metadata")) throw new InvalidRequestException("Missing required parameter: 'metadata'.", "metadata");
        return metadata(root.get("metadata"));
    }

    private static Map<String, String> metadata(JsonNode meta) {
        Map<String, String> metadata = new HashMap<>();
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) throw JsonFields.wrongType("metadata", "an object of strings");
            meta.fields().forEachRemaining(e -> {
                if (!e.getValue().isTextual()) throw JsonFields.wrongType("metadata." + e.getKey(), "a string");
                metadata.put(e.getKey(), e.getValue().textValue());
            });
        }
        return metadata;
    }

    /** The items an {@code items.create} added, as a list. */
    public String addedItems(List<StoredMessage> added) {
        return list(new Page<>(added, false), this::itemNode, m -> itemId(m.seq()));
    }

    /** One item. */
    public String item(StoredMessage m) {
        return itemNode(m).toString();
    }

    public String conversation(Conversation c, ConversationStats stats) {
        ObjectNode node = conversationNode(c);
        ObjectNode s = node.putObject("stats");
        s.put("message_count", stats.messageCount()).put("total_tokens", stats.totalTokens())
                .put("summarized_through_seq", stats.summarizedThroughSeq())
                .put("total_cost_usd", stats.totalCost().setScale(io.sluice.domain.Prices.COST_SCALE).toPlainString());
        return node.toString();
    }

    public String conversations(Page<Conversation> page) {
        return list(page, this::conversationNode, c -> c.id().value());
    }

    public String items(Page<StoredMessage> page) {
        return list(page, this::itemNode, m -> itemId(m.seq()));
    }

    public String deleted(String id, boolean purged) {
        return json.createObjectNode().put("id", id).put("object", "conversation.deleted").put("deleted", true).put("purged", purged).toString();
    }

    public static String itemId(long seq) {
        return "msg_" + seq;
    }

    /** The seq of an item id ({@code msg_<seq>}); a malformed one is the caller's error, naming {@code param}. */
    public static long seqOf(String itemId, String param) {
        if (itemId != null && itemId.matches("msg_\\d{1,18}")) return Long.parseLong(itemId.substring(4));
        throw new InvalidRequestException("'" + param + "' must be an item id like msg_12", param);
    }

    /**
     * The seq of an item of {@code conversation}: a conversation item's id ({@code msg_<seq>}), or the id the Responses
     * API gives the same message in a response's input items ({@code msg_<the conversation's 32 hex digits>_<seq>}).
     */
    public static long seqOf(String itemId, io.sluice.domain.ConversationId conversation, String param) {
        String responsesPrefix = "msg_" + conversation.value().substring("conv_".length()) + "_";
        if (itemId != null && itemId.startsWith(responsesPrefix) && itemId.substring(responsesPrefix.length()).matches("\\d{1,18}")) {
            return Long.parseLong(itemId.substring(responsesPrefix.length()));
        }
        if (itemId != null && itemId.matches("msg_\\d{1,18}")) return Long.parseLong(itemId.substring(4));
        throw new InvalidRequestException("'" + param + "' must be an item id of this conversation, like msg_12", param);
    }

    private ObjectNode conversationNode(Conversation c) {
        ObjectNode node = json.createObjectNode();
        node.put("id", c.id().value()).put("object", "conversation").put("created_at", c.created().getEpochSecond());
        ObjectNode metadata = node.putObject("metadata");
        c.metadata().forEach(metadata::put);
        node.put("user", c.user());
        node.put("context_strategy", c.defaultStrategy().map(Object::toString).orElse(null));
        return node;
    }

    private ObjectNode itemNode(StoredMessage m) {
        ChatMessage msg = m.message();
        ObjectNode node = json.createObjectNode();
        node.put("type", "message").put("id", itemId(m.seq())).put("status", "completed").put("role", msg.role().wireName());
        ArrayNode content = node.putArray("content");
        if (msg.hasMedia()) {
            for (ContentPart part : msg.parts()) inputPart(content.addObject(), part);
        } else if (msg.content() != null) {
            content.addObject().put("type", msg.role() == Role.ASSISTANT ? "output_text" : "input_text").put("text", msg.content());
        }
        if (!msg.toolCalls().isEmpty()) {
            ArrayNode calls = node.putArray("tool_calls");
            for (ToolCall c : msg.toolCalls()) {
                calls.addObject().put("id", c.id()).put("type", "function").putObject("function")
                        .put("name", c.name()).put("arguments", c.argumentsJson());
            }
        }
        if (msg.toolCallId() != null) node.put("tool_call_id", msg.toolCallId());
        node.put("seq", m.seq()).put("tokens", m.tokenCount()).put("model", m.model()).put("created_at", m.created().getEpochSecond());
        ObjectNode metadata = node.putObject("metadata");
        m.metadata().forEach(metadata::put);
        return node;
    }

    /** A content part as the Conversations API's item content names it ({@code input_text}, {@code input_image}, ...). */
    private static void inputPart(ObjectNode node, ContentPart part) {
        switch (part) {
            case ContentPart.Text t -> node.put("type", "input_text").put("text", t.text());
            case ContentPart.Image i -> node.put("type", "input_image").put("image_url", i.url()).put("detail", i.detail() == null ? "auto" : i.detail());
            case ContentPart.Audio a -> node.put("type", "input_audio").putObject("input_audio").put("data", a.data()).put("format", a.format());
            case ContentPart.File f -> node.put("type", "input_file").put("file_id", f.fileId()).put("file_data", f.fileData()).put("filename", f.filename());
        }
    }

    private <T> String list(Page<T> page, Function<T, ObjectNode> write, Function<T, String> id) {
        ObjectNode root = json.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        List<T> items = page.items();
        items.forEach(i -> data.add(write.apply(i)));
        root.put("first_id", items.isEmpty() ? null : id.apply(items.getFirst()));
        root.put("last_id", items.isEmpty() ? null : id.apply(items.getLast()));
        root.put("has_more", page.hasMore());
        return root.toString();
    }
}
