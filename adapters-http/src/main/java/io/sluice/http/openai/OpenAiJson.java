package io.sluice.http.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatOptions;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.Role;
import io.sluice.domain.ToolCall;
import io.sluice.domain.ToolCallDelta;
import io.sluice.domain.ToolDefinition;
import io.sluice.domain.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The OpenAI chat-completions wire format, both ways: requests to an upstream, responses and stream chunks from
 * it, and responses and chunks to our own clients, framed exactly as OpenAI frames them. Thread-safe.
 */
public final class OpenAiJson {
    private final ObjectMapper json;

    public OpenAiJson(ObjectMapper json) {
        this.json = json;
    }

    public ObjectMapper mapper() {
        return json;
    }

    // ---- requests (to an upstream)

    public byte[] writeRequest(ChatRequest request, boolean stream) {
        ObjectNode root = json.createObjectNode();
        ChatOptions o = request.options();
        // Fields we do not read go first, so that what we did read wins if a name ever overlaps.
        for (Map.Entry<String, String> extra : o.extraJson().entrySet()) root.putRawValue(extra.getKey(), new RawValue(extra.getValue()));
        root.put("model", request.model());
        ArrayNode messages = root.putArray("messages");
        for (ChatMessage m : request.messages()) writeMessage(messages.addObject(), m);
        if (stream) {
            root.put("stream", true);
            root.putObject("stream_options").put("include_usage", true);
        }
        if (o.temperature() != null) root.put("temperature", o.temperature());
        if (o.topP() != null) root.put("top_p", o.topP());
        if (o.maxTokens() != null) root.put(o.legacyMaxTokens() ? "max_tokens" : "max_completion_tokens", o.maxTokens());
        if (o.n() != null) root.put("n", o.n());
        if (!o.stop().isEmpty()) {
            ArrayNode stop = root.putArray("stop");
            o.stop().forEach(stop::add);
        }
        if (!o.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (ToolDefinition t : o.tools()) {
                if (t.wireJson() != null) {
                    tools.addRawValue(new RawValue(t.wireJson())); // as the client sent it: strict, and what comes after
                    continue;
                }
                ObjectNode fn = tools.addObject().put("type", t.type()).putObject(t.type());
                fn.put("name", t.name());
                if (t.description() != null) fn.put("description", t.description());
                if (t.parametersJson() != null) fn.putRawValue("parameters", new RawValue(t.parametersJson()));
                if (t.strict() != null) fn.put("strict", t.strict());
            }
        }
        if (o.toolChoiceJson() != null) root.putRawValue("tool_choice", new RawValue(o.toolChoiceJson()));
        if (o.user() != null) root.put("user", o.user());
        if (o.responseFormatJson() != null) root.putRawValue("response_format", new RawValue(o.responseFormatJson()));
        if (o.seed() != null) root.put("seed", o.seed());
        if (o.presencePenalty() != null) root.put("presence_penalty", o.presencePenalty());
        if (o.frequencyPenalty() != null) root.put("frequency_penalty", o.frequencyPenalty());
        return bytes(root);
    }

    private static void writeMessage(ObjectNode node, ChatMessage m) {
        node.put("role", m.role().wireName());
        if (m.hasMedia()) ContentParts.write(node.putArray("content"), m.parts());
        else if (m.content() == null) node.putNull("content");
        else node.put("content", m.content());
        if (m.name() != null) node.put("name", m.name());
        if (!m.toolCalls().isEmpty()) {
            ArrayNode calls = node.putArray("tool_calls");
            for (ToolCall c : m.toolCalls()) {
                ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
                call.putObject("function").put("name", c.name()).put("arguments", c.argumentsJson());
            }
        }
        if (m.toolCallId() != null) node.put("tool_call_id", m.toolCallId());
    }

    // ---- responses and chunks (from an upstream)

    public ChatResponse readResponse(JsonNode root) {
        JsonNode choice = firstChoice(root);
        JsonNode message = choice.path("message");
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode c : message.path("tool_calls")) {
            JsonNode fn = c.path("function");
            calls.add(new ToolCall(c.path("id").asText(), fn.path("name").asText(), fn.path("arguments").asText("")));
        }
        String content = message.path("content").isTextual() ? message.path("content").textValue() : null;
        return new ChatResponse(root.path("id").asText("chatcmpl-unknown"), root.path("model").asText("unknown"),
                root.path("created").asLong(0), ChatMessage.assistant(content, calls), text(choice.path("finish_reason")),
                usage(root.path("usage")), null, wire(root));
    }

    public ChatChunk readChunk(JsonNode root) {
        JsonNode choice = firstChoice(root);
        JsonNode delta = choice.path("delta");
        List<ToolCallDelta> calls = new ArrayList<>();
        for (JsonNode c : delta.path("tool_calls")) {
            JsonNode fn = c.path("function");
            calls.add(new ToolCallDelta(c.path("index").asInt(0), text(c.path("id")), text(fn.path("name")), text(fn.path("arguments"))));
        }
        Role role = Role.fromWire(text(delta.path("role"))).orElse(null);
        Usage usage = root.path("usage").isObject() ? usage(root.path("usage")) : null;
        return new ChatChunk(root.path("id").asText(""), root.path("model").asText(""), root.path("created").asLong(0), role,
                text(delta.path("content")), calls, text(choice.path("finish_reason")), usage, null, wire(root));
    }

    /**
     * The choice the gateway reads, stores and bills as the answer: index 0. With {@code n} > 1 a stream chunk may
     * carry only other choices; then there is none (a missing node), and the chunk reaches the client by its wire.
     */
    private static JsonNode firstChoice(JsonNode root) {
        for (JsonNode choice : root.path("choices")) {
            if (choice.path("index").asInt(0) == 0) return choice;
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static OpenAiWire wire(JsonNode root) {
        return root instanceof ObjectNode node ? new OpenAiWire(node, OpenAiWire.CHAT) : null;
    }

    private static Usage usage(JsonNode node) {
        int prompt = node.path("prompt_tokens").asInt(0);
        int cached = Math.min(prompt, node.path("prompt_tokens_details").path("cached_tokens").asInt(0));
        return new Usage(prompt, node.path("completion_tokens").asInt(0), cached);
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.textValue() : null;
    }

    // ---- responses and chunks (to our clients)

    public byte[] writeResponse(ChatResponse r) {
        if (r.wire() instanceof OpenAiWire wire) return bytes(asSent(wire, r.model(), r.usage()));
        ObjectNode root = json.createObjectNode();
        root.put("id", r.id()).put("object", "chat.completion").put("created", r.createdEpochSeconds()).put("model", r.model());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        writeMessage(message, r.message());
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", r.finishReason());
        writeUsage(root.putObject("usage"), r.usage());
        return bytes(root);
    }

    /** One SSE data payload. With {@code includeUsage}, content chunks carry {@code "usage": null}, as OpenAI's do. */
    public String writeChunk(ChatChunk c, boolean includeUsage) {
        if (c.wire() instanceof OpenAiWire wire) {
            ObjectNode root = asSent(wire, c.model(), includeUsage ? c.usage() : null);
            if (!includeUsage) root.remove("usage");
            return root.toString();
        }
        ObjectNode root = json.createObjectNode();
        root.put("id", c.id()).put("object", "chat.completion.chunk").put("created", c.createdEpochSeconds()).put("model", c.model());
        ArrayNode choices = root.putArray("choices");
        if (!c.isUsageOnly()) {
            ObjectNode choice = choices.addObject();
            choice.put("index", 0);
            ObjectNode delta = choice.putObject("delta");
            if (c.role() != null) delta.put("role", c.role().wireName());
            if (c.contentDelta() != null) delta.put("content", c.contentDelta());
            if (!c.toolCallDeltas().isEmpty()) {
                ArrayNode calls = delta.putArray("tool_calls");
                for (ToolCallDelta d : c.toolCallDeltas()) {
                    ObjectNode call = calls.addObject().put("index", d.index());
                    if (d.id() != null) call.put("id", d.id()).put("type", "function");
                    ObjectNode fn = call.putObject("function");
                    if (d.name() != null) fn.put("name", d.name());
                    if (d.argumentsDelta() != null) fn.put("arguments", d.argumentsDelta());
                }
            }
            choice.putNull("logprobs");
            choice.put("finish_reason", c.finishReason());
        }
        if (includeUsage) {
            if (c.usage() != null) writeUsage(root.putObject("usage"), c.usage());
            else root.putNull("usage");
        }
        return root.toString();
    }

    /**
     * What the upstream sent, with the gateway's name for the model that served it. A copy of the top level only: the
     * wire may be written again (to another client, or after a retry of the write) and is never changed.
     * {@code usage} fills in what an upstream left out (some relays send no usage); its own usage is never replaced.
     */
    private ObjectNode asSent(OpenAiWire wire, String model, Usage usage) {
        ObjectNode root = json.createObjectNode();
        root.setAll(wire.node());
        root.put("model", model);
        if (usage != null && !root.path("usage").isObject()) writeUsage(root.putObject("usage"), usage);
        return root;
    }

    private static void writeUsage(ObjectNode node, Usage u) {
        node.put("prompt_tokens", u.promptTokens()).put("completion_tokens", u.completionTokens()).put("total_tokens", u.totalTokens());
        node.putObject("prompt_tokens_details").put("cached_tokens", u.cachedPromptTokens());
    }

    /** OpenAI's error body: {@code {"error":{"message","type","param","code"}}}. */
    public byte[] writeError(String message, String type, String param, String code) {
        return bytes(errorNode(message, type, param, code));
    }

    public ObjectNode errorNode(String message, String type, String param, String code) {
        ObjectNode root = json.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message).put("type", type).put("param", param).put("code", code);
        return root;
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }
}
