package io.sluice.http.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatOptions;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ContentPart;
import io.sluice.domain.StoredText;
import io.sluice.domain.Role;
import io.sluice.domain.ToolCall;
import io.sluice.domain.ToolDefinition;
import io.sluice.domain.error.InvalidRequestException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an OpenAI chat-completions request body into the domain, checking the type and range of every field it
 * reads and naming the offending field ({@code param}) in the error, as OpenAI does. Fields it does not read are
 * passed to the upstream as they came. Thread-safe.
 */
public final class ChatRequestReader {
    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Set<String> READ_FIELDS = Set.of("model", "messages", "stream", "stream_options", "temperature",
            "top_p", "max_tokens", "max_completion_tokens", "n", "stop", "tools", "tool_choice", "user",
            "response_format", "seed", "presence_penalty", "frequency_penalty");
    private final ObjectMapper json;

    public ChatRequestReader(ObjectMapper json) {
        this.json = json;
    }

    public ParsedChatRequest read(byte[] body) {
        return read(body, Optional.empty());
    }

    /** @param defaultModel what serves a request that names no {@code model}: the API key's default route */
    public ParsedChatRequest read(byte[] body, Optional<String> defaultModel) {
        try {
            return readValidated(body, defaultModel);
        } catch (IllegalArgumentException e) {
            // A domain constructor refused a value this reader let through: still the client's mistake, never a 500.
            throw new InvalidRequestException(e.getMessage(), null);
        }
    }

    private ParsedChatRequest readValidated(byte[] body, Optional<String> defaultModel) {
        JsonNode root = parse(body);
        if (!root.isObject()) throw invalid("The request body must be a JSON object", null);
        JsonBodies.requireStorable(root, "");
        String model = JsonFields.model(root, defaultModel);
        List<ChatMessage> messages = messages(root.get("messages"));
        boolean stream = optionalBoolean(root, "stream", false);
        boolean includeUsage = false;
        JsonNode streamOptions = root.get("stream_options");
        if (streamOptions != null && !streamOptions.isNull()) {
            if (!streamOptions.isObject()) throw wrongType("stream_options", "an object");
            if (!stream) throw invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
            includeUsage = optionalBoolean(streamOptions, "include_usage", false, "stream_options.include_usage");
        }
        Integer maxTokens = JsonFields.optionalInt(root, "max_completion_tokens");
        boolean legacyMaxTokens = maxTokens == null && root.hasNonNull("max_tokens");
        if (maxTokens == null) maxTokens = JsonFields.optionalInt(root, "max_tokens");
        ChatOptions options = ChatOptions.builder().temperature(JsonFields.optionalNumber(root, "temperature")).topP(JsonFields.optionalNumber(root, "top_p"))
                .maxTokens(maxTokens).stop(stop(root.get("stop"))).tools(tools(root.get("tools"))).toolChoiceJson(toolChoice(root.get("tool_choice")))
                .user(optionalString(root, "user")).responseFormatJson(rawObject(root, "response_format")).seed(optionalLong(root, "seed"))
                .presencePenalty(JsonFields.optionalNumber(root, "presence_penalty")).frequencyPenalty(JsonFields.optionalNumber(root, "frequency_penalty"))
                .extraJson(extras(root)).n(JsonFields.optionalInt(root, "n")).legacyMaxTokens(legacyMaxTokens).build();
        return new ParsedChatRequest(new ChatRequest(model, messages, options), stream, includeUsage);
    }


    private JsonNode parse(byte[] body) {
        JsonNode root = JsonBodies.read(json, body);
        if (root == null) throw new InvalidRequestException("The request body is empty", null, "invalid_json");
        return root;
    }

    private List<ChatMessage> messages(JsonNode node) {
        if (node == null || node.isNull()) throw invalid("Missing required parameter: 'messages'.", "messages");
        if (!node.isArray()) throw wrongType("messages", "an array");
        if (node.isEmpty()) throw invalid("'messages' must contain at least one message", "messages");
        List<ChatMessage> messages = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) messages.add(message(node.get(i), "messages[" + i + "]"));
        return messages;
    }

    private ChatMessage message(JsonNode node, String path) {
        if (!node.isObject()) throw wrongType(path, "an object");
        String roleName = requiredString(node, "role", path + ".role");
        Role role = Role.fromWire(roleName).orElseThrow(() -> invalid("Invalid value for '" + path + ".role': '"
                + JsonBodies.clip(roleName) + "'. Supported values are: 'system', 'developer', 'user', 'assistant' and 'tool'.", path + ".role"));
        List<ContentPart> parts = new ArrayList<>();
        String content = content(node.get("content"), path + ".content", parts);
        if (!parts.isEmpty() && role != Role.USER && role != Role.SYSTEM) {
            throw new InvalidRequestException("Images, audio and files are only allowed in user and system messages", path + ".content",
                    "unsupported_content");
        }
        String name = optionalString(node, "name", path + ".name");
        StoredText.requireName(name, path + ".name");
        List<ToolCall> toolCalls = role == Role.ASSISTANT ? toolCalls(node.get("tool_calls"), path + ".tool_calls") : List.of();
        String toolCallId = role == Role.TOOL ? requiredString(node, "tool_call_id", path + ".tool_call_id") : null;
        StoredText.requireName(toolCallId, path + ".tool_call_id");
        if (role != Role.ASSISTANT && (content == null || content.isEmpty()) && parts.isEmpty()) {
            throw invalid("'" + path + ".content' must not be empty for a " + roleName + " message", path + ".content");
        }
        if (role == Role.ASSISTANT && (content == null || content.isEmpty()) && toolCalls.isEmpty()) {
            throw invalid("'" + path + ".content' must not be empty unless 'tool_calls' is given", path + ".content");
        }
        return new ChatMessage(role, content, name, toolCalls, toolCallId, parts);
    }

    /**
     * A string, or an array of content parts: their text joined is the message's text; when any part is not text (an
     * image, audio, a file), every part is kept in {@code parts}, in order.
     */
    private static String content(JsonNode node, String path, List<ContentPart> parts) {
        if (node == null || node.isNull()) return null;
        if (node.isTextual()) return node.textValue();
        if (!node.isArray()) throw wrongType(path, "a string or an array of content parts");
        StringBuilder text = new StringBuilder();
        boolean media = false;
        for (int i = 0; i < node.size(); i++) {
            ContentPart part = ContentParts.read(node.get(i), path + "[" + i + "]");
            if (part instanceof ContentPart.Text t) text.append(t.text());
            else media = true;
            parts.add(part);
        }
        if (!media) parts.clear();
        return text.toString();
    }

    private static List<ToolCall> toolCalls(JsonNode node, String path) {
        if (node == null || node.isNull()) return List.of();
        if (!node.isArray()) throw wrongType(path, "an array");
        List<ToolCall> calls = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode call = node.get(i);
            String callPath = path + "[" + i + "]";
            if (!call.isObject()) throw wrongType(callPath, "an object");
            JsonNode function = call.get("function");
            if (function == null || !function.isObject()) throw wrongType(callPath + ".function", "an object");
            calls.add(new ToolCall(requiredString(call, "id", callPath + ".id"),
                    requiredString(function, "name", callPath + ".function.name"),
                    requiredString(function, "arguments", callPath + ".function.arguments")));
        }
        return calls;
    }

    private List<ToolDefinition> tools(JsonNode node) {
        if (node == null || node.isNull()) return List.of();
        if (!node.isArray()) throw wrongType("tools", "an array");
        List<ToolDefinition> tools = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode tool = node.get(i);
            String path = "tools[" + i + "]";
            if (!tool.isObject()) throw wrongType(path, "an object");
            String type = tool.path("type").asText();
            if (!type.equals(ToolDefinition.FUNCTION) && !type.equals(ToolDefinition.CUSTOM)) {
                throw invalid("'" + path + ".type' must be 'function' or 'custom'", path + ".type");
            }
            JsonNode definition = tool.get(type);
            if (definition == null || !definition.isObject()) throw wrongType(path + "." + type, "an object");
            String name = requiredString(definition, "name", path + "." + type + ".name");
            if (!FUNCTION_NAME.matcher(name).matches()) {
                throw invalid("'" + path + "." + type + ".name' must be 1 to 64 letters, digits, '_' or '-'", path + "." + type + ".name");
            }
            String description = optionalString(definition, "description", path + "." + type + ".description");
            if (type.equals(ToolDefinition.CUSTOM)) {
                tools.add(new ToolDefinition(type, name, description, null, null, tool.toString()));
                continue;
            }
            JsonNode parameters = definition.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw wrongType(path + ".function.parameters", "an object");
            }
            JsonNode strict = definition.get("strict");
            if (strict != null && !strict.isNull() && !strict.isBoolean()) throw wrongType(path + ".function.strict", "a boolean");
            tools.add(new ToolDefinition(type, name, description, parameters == null || parameters.isNull() ? null : parameters.toString(),
                    strict == null || strict.isNull() ? null : strict.booleanValue(), tool.toString()));
        }
        return tools;
    }

    /** {@code none}, {@code auto}, {@code required}, or an object naming a function or custom tool, or the allowed tools. */
    private static String toolChoice(JsonNode node) {
        if (node == null || node.isNull()) return null;
        boolean valid = node.isTextual() ? Set.of("none", "auto", "required").contains(node.textValue())
                : node.isObject() && switch (node.has("type") ? node.path("type").asText() : "function") {
                    case "function" -> node.path("function").path("name").isTextual();
                    case "custom" -> node.path("custom").path("name").isTextual();
                    case "allowed_tools" -> Set.of("auto", "required").contains(node.path("allowed_tools").path("mode").asText())
                            && node.path("allowed_tools").path("tools").isArray();
                    default -> false;
                };
        if (!valid) {
            throw invalid("'tool_choice' must be 'none', 'auto', 'required', or an object naming a function, a custom tool or the allowed tools",
                    "tool_choice");
        }
        return node.toString();
    }

    private static List<String> stop(JsonNode node) {
        if (node == null || node.isNull()) return List.of();
        if (node.isTextual()) return List.of(node.textValue());
        if (!node.isArray()) throw wrongType("stop", "a string or an array of strings");
        List<String> stops = new ArrayList<>();
        for (JsonNode s : node) {
            if (!s.isTextual()) throw wrongType("stop", "a string or an array of strings");
            stops.add(s.textValue());
        }
        return stops;
    }

    private static Map<String, String> extras(JsonNode root) {
        Map<String, String> extras = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!READ_FIELDS.contains(field.getKey())) extras.put(field.getKey(), field.getValue().toString());
        }
        return extras;
    }

    private static String rawObject(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) return null;
        if (!node.isObject()) throw wrongType(field, "an object");
        return node.toString();
    }

    private static String requiredString(JsonNode node, String field) {
        return requiredString(node, field, field);
    }

    private static String requiredString(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) throw invalid("Missing required parameter: '" + path + "'.", path);
        if (!value.isTextual()) throw wrongType(path, "a string");
        return value.textValue();
    }

    private static String optionalString(JsonNode node, String field) {
        return optionalString(node, field, field);
    }

    private static String optionalString(JsonNode node, String field, String path) {
        return JsonFields.optionalString(node, field, path);
    }

    private static boolean optionalBoolean(JsonNode node, String field, boolean fallback) {
        return optionalBoolean(node, field, fallback, field);
    }

    private static boolean optionalBoolean(JsonNode node, String field, boolean fallback, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return fallback;
        if (!value.isBoolean()) throw wrongType(path, "a boolean");
        return value.booleanValue();
    }

    private static Long optionalLong(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isIntegralNumber() || !value.canConvertToLong()) throw wrongType(field, "an integer");
        return value.longValue();
    }

    private static InvalidRequestException wrongType(String path, String expected) {
        return JsonFields.wrongType(path, expected);
    }

    private static InvalidRequestException invalid(String message, String param) {
        return new InvalidRequestException(message, param);
    }

}
