package io.sluice.http.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.ToolCall;
import io.sluice.domain.Usage;
import java.io.IOException;

/**
 * Anthropic's Messages API on the way out: a message, the events of a stream and an error, as Anthropic writes them,
 * whichever model answered. Thread-safe.
 */
public final class MessagesJson {
    private final ObjectMapper json;

    public MessagesJson(ObjectMapper json) {
        this.json = json;
    }

    public byte[] writeResponse(ChatResponse r) {
        ObjectNode root = message(r.id(), r.model());
        ArrayNode content = root.putArray("content");
        if (r.message().content() != null && !r.message().content().isEmpty()) content.addObject().put("type", "text").put("text", r.message().content());
        for (ToolCall call : r.message().toolCalls()) {
            content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name()).set("input", input(call.argumentsJson()));
        }
        root.put("stop_reason", stopReason(r.finishReason()));
        root.putNull("stop_sequence");
        root.set("usage", usage(r.usage()));
        return root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Anthropic's names for why an answer stopped; an OpenAI stop is the end of the turn. */
    public static String stopReason(String finishReason) {
        if (finishReason == null) return "end_turn";
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }

    /** Anthropic counts input without the cached part: what was read from the cache and written to it are apart. */
    public ObjectNode usage(Usage u) {
        return json.createObjectNode().put("input_tokens", u.promptTokens() - u.cachedPromptTokens() - u.cacheWriteTokens())
                .put("cache_creation_input_tokens", u.cacheWriteTokens()).put("cache_read_input_tokens", u.cachedPromptTokens())
                .put("output_tokens", u.completionTokens());
    }

    /** A tool call's arguments as the object Anthropic's {@code input} is; arguments that are not one are kept under {@code arguments}. */
    private JsonNode input(String arguments) {
        try {
            JsonNode node = arguments == null || arguments.isBlank() ? json.createObjectNode() : json.readTree(arguments);
            if (node != null && node.isObject()) return node;
        } catch (IOException notJson) {
            // fall through
        }
        return json.createObjectNode().put("arguments", arguments);
    }

    /** Ids are Anthropic's {@code msg_...}; another upstream's id keeps its characters after the prefix. */
    private ObjectNode message(String id, String model) {
        return json.createObjectNode().put("id", id.startsWith("msg_") ? id : "msg_" + id.replaceAll("[^A-Za-z0-9_-]", ""))
                .put("type", "message").put("role", "assistant").put("model", model);
    }

    // ---- stream events

    public String messageStart(String id, String model) {
        ObjectNode message = message(id, model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", usage(new Usage(0, 0, 0)));
        return event("message_start", json.createObjectNode().put("type", "message_start").set("message", message));
    }

    public String textBlockStart(int index) {
        ObjectNode event = json.createObjectNode().put("type", "content_block_start").put("index", index);
        event.putObject("content_block").put("type", "text").put("text", "");
        return event("content_block_start", event);
    }

    public String toolBlockStart(int index, String id, String name) {
        ObjectNode event = json.createObjectNode().put("type", "content_block_start").put("index", index);
        event.putObject("content_block").put("type", "tool_use").put("id", id).put("name", name).putObject("input");
        return event("content_block_start", event);
    }

    public String textDelta(int index, String text) {
        ObjectNode event = json.createObjectNode().put("type", "content_block_delta").put("index", index);
        event.putObject("delta").put("type", "text_delta").put("text", text);
        return event("content_block_delta", event);
    }

    public String inputJsonDelta(int index, String partialJson) {
        ObjectNode event = json.createObjectNode().put("type", "content_block_delta").put("index", index);
        event.putObject("delta").put("type", "input_json_delta").put("partial_json", partialJson);
        return event("content_block_delta", event);
    }

    public String blockStop(int index) {
        return event("content_block_stop", json.createObjectNode().put("type", "content_block_stop").put("index", index));
    }

    /** The stop reason, and the usage of the whole answer: input tokens too, which only the end of an OpenAI stream knows. */
    public String messageDelta(String stopReason, Usage usage) {
        ObjectNode event = json.createObjectNode().put("type", "message_delta");
        event.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
        event.set("usage", usage(usage == null ? new Usage(0, 0, 0) : usage));
        return event("message_delta", event);
    }

    public String messageStop() {
        return event("message_stop", json.createObjectNode().put("type", "message_stop"));
    }

    /** Anthropic's error body: {@code {"type":"error","error":{"type","message"}}}. */
    public ObjectNode error(int status, String message) {
        ObjectNode root = json.createObjectNode().put("type", "error");
        root.putObject("error").put("type", errorType(status)).put("message", message);
        return root;
    }

    public String errorEvent(int status, String message) {
        return event("error", error(status, message));
    }

    /** Anthropic's error types, by the status the gateway answers with. */
    static String errorType(int status) {
        return switch (status) {
            case 400, 405, 409, 414, 422, 431 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 408, 504 -> "timeout_error";
            case 503, 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    private static String event(String name, JsonNode data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }
}
