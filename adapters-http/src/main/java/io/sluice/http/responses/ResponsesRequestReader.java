package io.sluice.http.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatOptions;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ContentPart;
import io.sluice.domain.ConversationId;
import io.sluice.domain.Role;
import io.sluice.domain.StoredText;
import io.sluice.domain.ToolCall;
import io.sluice.domain.ToolDefinition;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.http.openai.JsonBodies;
import io.sluice.http.openai.JsonFields;
import io.sluice.http.openai.ParsedChatRequest;
import io.sluice.ports.in.ConversationRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an OpenAI Responses API request into the gateway's chat request, so that any model answers it on Sluice's
 * memory: {@code input} (text, messages with text, images and files, function calls and their outputs) and
 * {@code instructions} become the turn's messages; {@code previous_response_id} or {@code conversation} continue a
 * stored conversation, a new one is stored unless {@code store} is false; tools, the tool choice, {@code text.format},
 * sampling and {@code max_output_tokens} become the chat options. Unknown parameters are refused, as OpenAI refuses
 * them; built-in tools and background runs get a 400 naming them. Thread-safe.
 */
public final class ResponsesRequestReader {
    private static final Set<String> FIELDS = Set.of("model", "input", "instructions", "previous_response_id", "conversation", "store", "stream",
            "stream_options", "max_output_tokens", "temperature", "top_p", "tools", "tool_choice", "text", "metadata", "user", "parallel_tool_calls",
            "truncation", "reasoning", "include", "safety_identifier", "prompt_cache_key", "service_tier", "background", "top_logprobs");
    /** Passed to an OpenAI-compatible upstream under chat's name for them. */
    private static final Map<String, String> CHAT_NAMES = Map.of("parallel_tool_calls", "parallel_tool_calls", "prompt_cache_key",
            "prompt_cache_key", "service_tier", "service_tier", "safety_identifier", "safety_identifier", "top_logprobs", "top_logprobs");
    private final ObjectMapper json;

    public ResponsesRequestReader(ObjectMapper json) {
        this.json = json;
    }

    public ParsedChatRequest read(byte[] body, Optional<String> defaultModel) {
        try {
            return readChecked(body, defaultModel);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), null);
        }
    }

    private ParsedChatRequest readChecked(byte[] body, Optional<String> defaultModel) {
        JsonNode root = JsonBodies.read(json, body);
        if (root == null) throw new InvalidRequestException("The request body is empty", null, "invalid_json");
        if (!root.isObject()) throw new InvalidRequestException("The request body must be a JSON object", null);
        JsonBodies.requireStorable(root, "");
        root.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) throw new InvalidRequestException("Unknown parameter: '" + JsonBodies.clip(field) + "'.", field, "unknown_parameter");
        });
        if (root.path("background").asBoolean(false)) throw unsupported("background", "Background responses");
        String model = JsonFields.model(root, defaultModel);
        List<ChatMessage> messages = new ArrayList<>();
        String instructions = JsonFields.optionalString(root, "instructions", "instructions");
        if (instructions != null && !instructions.isEmpty()) messages.add(ChatMessage.system(instructions));
        input(root.get("input"), messages, "input");
        Map<String, String> extras = new HashMap<>();
        CHAT_NAMES.forEach((field, chat) -> {
            if (root.hasNonNull(field)) extras.put(chat, root.get(field).toString());
        });
        String effort = root.path("reasoning").path("effort").asText(null);
        if (effort != null) extras.put("reasoning_effort", json.getNodeFactory().textNode(effort).toString());
        String user = JsonFields.optionalString(root, "user", "user");
        StoredText.requireName(user, "user");
        ChatOptions options = ChatOptions.builder().maxTokens(JsonFields.optionalInt(root, "max_output_tokens")).temperature(JsonFields.optionalNumber(root, "temperature"))
                .topP(JsonFields.optionalNumber(root, "top_p")).tools(tools(root.get("tools"))).toolChoiceJson(toolChoice(root.get("tool_choice")))
                .responseFormatJson(format(root.path("text").get("format"))).user(user).extraJson(extras).build();
        boolean stream = root.path("stream").asBoolean(false);
        return new ParsedChatRequest(new ChatRequest(model, messages, options), stream, true, Optional.of(conversation(root)), root);
    }

    /** {@code previous_response_id} or {@code conversation} continue one; else a new one, unless {@code store} is false. */
    private static ConversationRef conversation(JsonNode root) {
        boolean store = !root.has("store") || root.path("store").asBoolean(true);
        String previous = JsonFields.optionalString(root, "previous_response_id", "previous_response_id");
        JsonNode named = root.get("conversation");
        if (previous != null && named != null && !named.isNull()) {
            throw new InvalidRequestException("'previous_response_id' and 'conversation' cannot be used together", "conversation");
        }
        Optional<ConversationId> id = Optional.empty();
        if (previous != null) id = Optional.of(ResponseIds.conversation(previous, "previous_response_id"));
        if (named != null && !named.isNull()) {
            String value = named.isTextual() ? named.textValue() : named.path("id").asText(null);
            try {
                id = Optional.of(new ConversationId(value));
            } catch (RuntimeException e) {
                throw new InvalidRequestException("'conversation' must be a conversation id (conv_ and 32 hex digits)", "conversation", "invalid_conversation_id");
            }
        }
        if (id.isPresent() && !store) {
            throw new InvalidRequestException("A response that continues a stored conversation is stored: 'store' cannot be false", "store");
        }
        return id.map(ConversationRef::existing).orElse(store ? ConversationRef.NEW : ConversationRef.NONE);
    }

    /**
     * A Conversations API {@code items.create} body's {@code items}: input items as {@code input} holds them, at most
     * {@value #MAX_ITEMS} at once.
     */
    public List<ChatMessage> readItems(byte[] body) {
        JsonNode root = JsonBodies.read(json, body);
        if (root == null || !root.isObject()) throw new InvalidRequestException("The request body must be a JSON object", null);
        JsonBodies.requireStorable(root, "");
        JsonNode items = root.get("items");
        if (items == null || !items.isArray() || items.isEmpty() || items.size() > MAX_ITEMS) {
            throw new InvalidRequestException("'items' must be an array of 1 to " + MAX_ITEMS + " items", "items");
        }
        List<ChatMessage> messages = new ArrayList<>();
        try {
            input(items, messages, "items");
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), "items");
        }
        return messages;
    }

    /** The Conversations API's limit on the items added at once. */
    public static final int MAX_ITEMS = 20;

    private void input(JsonNode input, List<ChatMessage> out, String name) {
        if (input == null || input.isNull()) throw new InvalidRequestException("Missing required parameter: '" + name + "'.", name);
        if (input.isTextual()) {
            if (input.textValue().isEmpty()) throw new InvalidRequestException("'" + name + "' must not be empty", name);
            out.add(ChatMessage.user(input.textValue()));
            return;
        }
        if (!input.isArray() || input.isEmpty()) throw new InvalidRequestException("'" + name + "' must be a non-empty string or array", name);
        List<ToolCall> calls = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            String at = name + "[" + i + "]";
            if (!item.isObject()) throw JsonFields.wrongType(at, "an object");
            String type = item.path("type").asText("message");
            if (!type.equals("function_call") && !calls.isEmpty()) {
                out.add(ChatMessage.assistant(null, List.copyOf(calls))); // the calls of one answer are one assistant message
                calls.clear();
            }
            switch (type) {
                case "message" -> out.add(message(item, at));
                case "function_call" -> calls.add(new ToolCall(JsonFields.requiredString(item, "call_id", at + ".call_id"),
                        JsonFields.requiredString(item, "name", at + ".name"), JsonFields.requiredString(item, "arguments", at + ".arguments")));
                case "function_call_output" -> {
                    JsonNode output = item.get("output");
                    String text = output != null && output.isTextual() ? output.textValue() : output == null ? "" : output.toString();
                    out.add(ChatMessage.toolResult(JsonFields.requiredString(item, "call_id", at + ".call_id"), text.isEmpty() ? " " : text));
                }
                case "reasoning" -> { } // a model's reasoning is not carried to another turn
                default -> throw new InvalidRequestException("Input items of type '" + JsonBodies.clip(type) + "' are not supported", at + ".type",
                        "unsupported_content");
            }
        }
        if (!calls.isEmpty()) out.add(ChatMessage.assistant(null, List.copyOf(calls)));
    }

    private static ChatMessage message(JsonNode item, String at) {
        String roleName = JsonFields.requiredString(item, "role", at + ".role");
        Role role = switch (roleName) {
            case "user" -> Role.USER;
            case "assistant" -> Role.ASSISTANT;
            case "system", "developer" -> Role.SYSTEM;
            default -> throw new InvalidRequestException("'" + at + ".role' must be 'user', 'assistant', 'system' or 'developer'", at + ".role");
        };
        JsonNode content = item.get("content");
        if (content != null && content.isTextual()) return new ChatMessage(role, content.textValue(), null, List.of(), null);
        if (content == null || !content.isArray()) throw JsonFields.wrongType(at + ".content", "a string or an array of content parts");
        StringBuilder text = new StringBuilder();
        List<ContentPart> parts = new ArrayList<>();
        boolean media = false;
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String p = at + ".content[" + i + "]";
            switch (JsonFields.requiredString(part, "type", p + ".type")) {
                case "input_text", "output_text" -> {
                    String t = JsonFields.requiredString(part, "text", p + ".text");
                    text.append(t);
                    parts.add(new ContentPart.Text(t));
                }
                case "refusal" -> text.append(JsonFields.requiredString(part, "refusal", p + ".refusal"));
                case "input_image" -> {
                    String url = JsonFields.optionalString(part, "image_url", p + ".image_url");
                    if (url == null) throw new InvalidRequestException("'" + p + "' needs an 'image_url': images by 'file_id' are not supported", p + ".image_url");
                    if (!url.startsWith("https://") && !url.startsWith("http://") && !url.startsWith("data:image/")) {
                        throw new InvalidRequestException("'" + p + ".image_url' must be an http(s) URL or a data URL of an image", p + ".image_url",
                                "invalid_image_url");
                    }
                    parts.add(new ContentPart.Image(url, JsonFields.optionalString(part, "detail", p + ".detail")));
                    media = true;
                }
                case "input_file" -> {
                    String data = JsonFields.optionalString(part, "file_data", p + ".file_data");
                    String id = JsonFields.optionalString(part, "file_id", p + ".file_id");
                    if ((data == null) == (id == null)) throw new InvalidRequestException("'" + p + "' needs one of 'file_data' and 'file_id'", p);
                    parts.add(new ContentPart.File(id, data, JsonFields.optionalString(part, "filename", p + ".filename")));
                    media = true;
                }
                default -> throw new InvalidRequestException("Content parts of type '" + JsonBodies.clip(part.path("type").asText()) + "' are not supported",
                        p + ".type", "unsupported_content");
            }
        }
        if (media && role != Role.USER && role != Role.SYSTEM) {
            throw new InvalidRequestException("Images and files are only allowed in user and system messages", at + ".content", "unsupported_content");
        }
        return new ChatMessage(role, text.toString(), null, List.of(), null, media ? parts : List.of());
    }

    private static List<ToolDefinition> tools(JsonNode tools) {
        if (tools == null || tools.isNull()) return List.of();
        if (!tools.isArray()) throw JsonFields.wrongType("tools", "an array");
        List<ToolDefinition> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String at = "tools[" + i + "]";
            String type = tool.path("type").asText();
            if (!type.equals("function")) throw unsupported(at + ".type", "Tools of type '" + JsonBodies.clip(type) + "'");
            JsonNode parameters = tool.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) throw JsonFields.wrongType(at + ".parameters", "an object");
            JsonNode strict = tool.get("strict");
            out.add(new ToolDefinition(ToolDefinition.FUNCTION, JsonFields.requiredString(tool, "name", at + ".name"),
                    JsonFields.optionalString(tool, "description", at + ".description"),
                    parameters == null || parameters.isNull() ? null : parameters.toString(), strict != null && strict.isBoolean() ? strict.booleanValue() : null,
                    null));
        }
        return out;
    }

    /** The Responses API's tool_choice in chat's terms. */
    private String toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) return null;
        if (choice.isTextual()) {
            if (!Set.of("auto", "none", "required").contains(choice.textValue())) {
                throw new InvalidRequestException("'tool_choice' must be 'auto', 'none', 'required' or an object", "tool_choice");
            }
            return choice.toString();
        }
        ObjectNode chat = json.createObjectNode();
        switch (choice.path("type").asText()) {
            case "function" -> chat.put("type", "function").putObject("function").put("name", JsonFields.requiredString(choice, "name", "tool_choice.name"));
            case "allowed_tools" -> {
                ObjectNode allowed = chat.put("type", "allowed_tools").putObject("allowed_tools").put("mode", choice.path("mode").asText("auto"));
                var list = allowed.putArray("tools");
                for (JsonNode t : choice.path("tools")) list.addObject().put("type", "function").putObject("function").put("name", t.path("name").asText());
            }
            default -> throw unsupported("tool_choice.type", "Choosing a tool of type '" + JsonBodies.clip(choice.path("type").asText()) + "'");
        }
        return chat.toString();
    }

    /** {@code text.format} as chat's {@code response_format}. */
    private String format(JsonNode format) {
        if (format == null || format.isNull()) return null;
        return switch (format.path("type").asText()) {
            case "text" -> null;
            case "json_object" -> "{\"type\":\"json_object\"}";
            case "json_schema" -> {
                ObjectNode chat = json.createObjectNode().put("type", "json_schema");
                ObjectNode schema = chat.putObject("json_schema").put("name", format.path("name").asText("response"));
                schema.set("schema", format.path("schema"));
                if (format.has("strict")) schema.set("strict", format.get("strict"));
                yield chat.toString();
            }
            default -> throw new InvalidRequestException("'text.format.type' must be 'text', 'json_object' or 'json_schema'", "text.format.type");
        };
    }

    private static InvalidRequestException unsupported(String param, String what) {
        return new InvalidRequestException(what + " are not supported by this gateway", param, "unsupported_parameter");
    }
}
