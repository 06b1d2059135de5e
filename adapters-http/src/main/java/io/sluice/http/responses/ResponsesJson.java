package io.sluice.http.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ToolCall;
import io.sluice.domain.Usage;

/**
 * The Responses API's objects as OpenAI writes them: a response (its output items, usage and the request's settings
 * echoed), its output items, and the events of a stream. Thread-safe.
 */
public final class ResponsesJson {
    private final ObjectMapper json;

    public ResponsesJson(ObjectMapper json) {
        this.json = json;
    }

    public ObjectMapper mapper() {
        return json;
    }

    /**
     * A response. {@code request} is the request as sent (its settings are echoed), or null for one read back from a
     * conversation; {@code usage} may be null (unknown).
     */
    public ObjectNode response(String id, String model, long createdAt, String status, ArrayNode output, Usage usage, JsonNode request,
                               String conversationId) {
        ObjectNode root = json.createObjectNode().put("id", id).put("object", "response").put("created_at", createdAt).put("status", status);
        root.putNull("error");
        if ("incomplete".equals(status)) root.putObject("incomplete_details").put("reason", "max_output_tokens");
        else root.putNull("incomplete_details");
        JsonNode r = request == null ? json.createObjectNode() : request;
        root.set("instructions", r.path("instructions").isMissingNode() ? json.nullNode() : r.get("instructions"));
        root.set("max_output_tokens", r.path("max_output_tokens").isMissingNode() ? json.nullNode() : r.get("max_output_tokens"));
        root.put("model", model);
        root.set("output", output);
        root.put("parallel_tool_calls", r.path("parallel_tool_calls").asBoolean(true));
        root.set("previous_response_id", r.path("previous_response_id").isMissingNode() ? json.nullNode() : r.get("previous_response_id"));
        if (conversationId != null) root.putObject("conversation").put("id", conversationId);
        root.put("store", conversationId != null);
        root.set("temperature", r.path("temperature").isMissingNode() ? json.getNodeFactory().numberNode(1.0) : r.get("temperature"));
        root.set("top_p", r.path("top_p").isMissingNode() ? json.getNodeFactory().numberNode(1.0) : r.get("top_p"));
        root.set("text", r.path("text").isObject() ? r.get("text") : json.createObjectNode().set("format", json.createObjectNode().put("type", "text")));
        root.set("tool_choice", r.path("tool_choice").isMissingNode() ? json.getNodeFactory().textNode("auto") : r.get("tool_choice"));
        root.set("tools", r.path("tools").isArray() ? r.get("tools") : json.createArrayNode());
        root.put("truncation", r.path("truncation").asText("disabled"));
        root.set("metadata", r.path("metadata").isObject() ? r.get("metadata") : json.createObjectNode());
        root.set("user", r.path("user").isMissingNode() ? json.nullNode() : r.get("user"));
        if (usage == null) root.putNull("usage");
        else root.set("usage", usage(usage));
        return root;
    }

    public ObjectNode usage(Usage u) {
        ObjectNode usage = json.createObjectNode().put("input_tokens", u.promptTokens());
        usage.putObject("input_tokens_details").put("cached_tokens", u.cachedPromptTokens());
        usage.put("output_tokens", u.completionTokens());
        usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
        return usage.put("total_tokens", u.totalTokens());
    }

    /** An answer's output items: its text as a message, then each tool call as a function call. */
    public ArrayNode output(ChatMessage answer, String itemPrefix, String status) {
        ArrayNode output = json.createArrayNode();
        if (answer.content() != null && !answer.content().isEmpty()) output.add(message(itemPrefix, answer.content(), status));
        for (ToolCall call : answer.toolCalls()) output.add(functionCall(call.id(), call.name(), call.argumentsJson(), status));
        return output;
    }

    public ObjectNode message(String id, String text, String status) {
        ObjectNode item = json.createObjectNode().put("type", "message").put("id", id).put("status", status).put("role", "assistant");
        ArrayNode content = item.putArray("content");
        if (text != null) content.add(outputText(text));
        return item;
    }

    public ObjectNode outputText(String text) {
        ObjectNode part = json.createObjectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    /** A function call item's id, derived from its call id so that it is the same in every event and when read back. */
    public static String functionCallId(String callId) {
        return "fc_" + callId.replaceAll("[^A-Za-z0-9]", "");
    }

    public ObjectNode functionCall(String callId, String name, String arguments, String status) {
        return json.createObjectNode().put("type", "function_call").put("id", functionCallId(callId)).put("call_id", callId)
                .put("name", name).put("arguments", arguments).put("status", status);
    }

    /** One event of a stream: its type, and its data with the type and sequence number the SDKs read. */
    public String event(String type, int sequence, ObjectNode data) {
        ObjectNode event = json.createObjectNode().put("type", type).put("sequence_number", sequence);
        event.setAll(data);
        return "event: " + type + "\ndata: " + event + "\n\n";
    }

    public ObjectNode object() {
        return json.createObjectNode();
    }
}
