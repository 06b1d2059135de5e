package io.sluice.http.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatOptions;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ContentPart;
import io.sluice.domain.Role;
import io.sluice.domain.StoredText;
import io.sluice.domain.ToolCall;
import io.sluice.domain.ToolDefinition;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.http.openai.JsonBodies;
import io.sluice.http.openai.JsonFields;
import io.sluice.http.openai.ParsedChatRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an Anthropic Messages API request into the gateway's chat request, so that any configured model answers it:
 * the system prompt, alternating turns of text, images, PDFs, tool uses and tool results, tools and the tool choice,
 * sampling and {@code metadata.user_id}. As Anthropic's own API does, it refuses fields it does not know
 * ("Extra inputs are not permitted"), and what the gateway cannot carry ({@code top_k}, extended {@code thinking},
 * server tools) gets a 400 naming it, never a silent drop. Structured output ({@code output_config.format}) becomes chat's
 * strict JSON schema, which every provider adapter translates back. Thread-safe.
 */
public final class MessagesRequestReader {
    private static final Set<String> FIELDS = Set.of("model", "messages", "system", "max_tokens", "metadata", "stop_sequences", "stream",
            "temperature", "top_p", "top_k", "tools", "tool_choice", "thinking", "service_tier", "output_format", "output_config");
    private final ObjectMapper json;

    public MessagesRequestReader(ObjectMapper json) {
        this.json = json;
    }

    /** @param countOnly a {@code count_tokens} request, which has no {@code max_tokens} */
    public ParsedChatRequest read(byte[] body, Optional<String> defaultModel, boolean countOnly) {
        try {
            return readChecked(body, defaultModel, countOnly);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), null);
        }
    }

    private ParsedChatRequest readChecked(byte[] body, Optional<String> defaultModel, boolean countOnly) {
        JsonNode root = JsonBodies.read(json, body);
        if (root == null) throw new InvalidRequestException("The request body is empty", null, "invalid_json");
        if (!root.isObject()) throw new InvalidRequestException("The request body must be a JSON object", null);
        JsonBodies.requireStorable(root, "");
        root.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) throw new InvalidRequestException(JsonBodies.clip(field) + ": Extra inputs are not permitted", field);
        });
        String model = JsonFields.model(root, defaultModel);
        Integer maxTokens = JsonFields.optionalInt(root, "max_tokens");
        if (maxTokens == null && !countOnly) throw new InvalidRequestException("max_tokens: Field required", "max_tokens");
        if (root.hasNonNull("top_k")) throw unsupported("top_k", "'top_k'");
        if (root.hasNonNull("thinking") && !"disabled".equals(root.path("thinking").path("type").asText())) {
            throw unsupported("thinking", "Extended thinking");
        }
        List<ChatMessage> messages = new ArrayList<>();
        system(root.get("system"), messages);
        turns(root.get("messages"), messages);
        JsonNode stops = root.get("stop_sequences");
        List<String> stop = new ArrayList<>();
        if (stops != null && !stops.isNull()) {
            if (!stops.isArray()) throw JsonFields.wrongType("stop_sequences", "an array of strings");
            for (JsonNode s : stops) {
                if (!s.isTextual()) throw JsonFields.wrongType("stop_sequences", "an array of strings");
                stop.add(s.textValue());
            }
            if (stop.size() > ChatOptions.MAX_STOP_SEQUENCES) {
                throw new InvalidRequestException("stop_sequences: at most " + ChatOptions.MAX_STOP_SEQUENCES + " are supported", "stop_sequences");
            }
        }
        Double temperature = JsonFields.optionalNumber(root, "temperature");
        if (temperature != null && (temperature < 0 || temperature > 1)) {
            throw new InvalidRequestException("temperature: must be between 0 and 1", "temperature");
        }
        JsonNode metadata = root.path("metadata");
        String user = JsonFields.optionalString(metadata, "user_id", "metadata.user_id");
        StoredText.requireName(user, "metadata.user_id");
        Map<String, String> extras = Map.of();
        JsonNode choice = root.get("tool_choice");
        if (choice != null && choice.path("disable_parallel_tool_use").asBoolean(false)) extras = Map.of("parallel_tool_calls", "false");
        ChatOptions options = ChatOptions.builder().maxTokens(maxTokens).temperature(temperature).topP(JsonFields.optionalNumber(root, "top_p")).stop(stop)
                .tools(tools(root.get("tools"))).toolChoiceJson(toolChoice(choice)).user(user).extraJson(extras)
                .responseFormatJson(structuredOutput(root)).build();
        boolean stream = root.path("stream").asBoolean(false);
        if (root.has("stream") && !root.path("stream").isBoolean() && !root.path("stream").isNull()) throw JsonFields.wrongType("stream", "a boolean");
        return new ParsedChatRequest(new ChatRequest(model, messages, options), stream, true);
    }

    private static void system(JsonNode system, List<ChatMessage> out) {
        if (system == null || system.isNull()) return;
        String text = system.isTextual() ? system.textValue() : texts(system, "system");
        if (!text.isEmpty()) out.add(ChatMessage.system(text));
    }

    private void turns(JsonNode messages, List<ChatMessage> out) {
        if (messages == null || messages.isNull()) throw new InvalidRequestException("messages: Field required", "messages");
        if (!messages.isArray() || messages.isEmpty()) throw new InvalidRequestException("messages: at least one message is required", "messages");
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String path = "messages." + i;
            if (!m.isObject()) throw JsonFields.wrongType(path, "an object");
            String role = JsonFields.optionalString(m, "role", path + ".role");
            if (!"user".equals(role) && !"assistant".equals(role)) {
                throw new InvalidRequestException(path + ".role: Input should be 'user' or 'assistant'", path + ".role");
            }
            JsonNode content = m.get("content");
            if (content == null || content.isNull()) throw new InvalidRequestException(path + ".content: Field required", path + ".content");
            if (content.isTextual()) {
                out.add(new ChatMessage(role.equals("user") ? Role.USER : Role.ASSISTANT, content.textValue(), null, List.of(), null));
            } else if (content.isArray()) {
                if (role.equals("user")) userBlocks(content, path + ".content", out);
                else assistantBlocks(content, path + ".content", out);
            } else {
                throw JsonFields.wrongType(path + ".content", "a string or an array of content blocks");
            }
        }
    }

    /** Tool results first (each a tool message, answering the calls before them), then the user's own words and media. */
    private static void userBlocks(JsonNode blocks, String path, List<ChatMessage> out) {
        List<ContentPart> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        boolean media = false;
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode block = blocks.get(i);
            String at = path + "." + i;
            switch (type(block, at)) {
                case "text" -> {
                    String t = required(block, "text", at);
                    text.append(t);
                    parts.add(new ContentPart.Text(t));
                }
                case "image" -> {
                    parts.add(new ContentPart.Image(source(block, at, "image/"), null));
                    media = true;
                }
                case "document" -> {
                    parts.add(new ContentPart.File(null, source(block, at, "application/pdf"), "document.pdf"));
                    media = true;
                }
                case "tool_result" -> out.add(ChatMessage.toolResult(required(block, "tool_use_id", at), toolResult(block.get("content"), at)));
                default -> throw new InvalidRequestException(at + ".type: content blocks of type '" + JsonBodies.clip(block.path("type").asText())
                        + "' are not supported in a user message", at + ".type", "unsupported_content");
            }
        }
        if (!text.isEmpty() || media) out.add(new ChatMessage(Role.USER, text.toString(), null, List.of(), null, media ? parts : List.of()));
    }

    private void assistantBlocks(JsonNode blocks, String path, List<ChatMessage> out) {
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode block = blocks.get(i);
            String at = path + "." + i;
            switch (type(block, at)) {
                case "text" -> text.append(required(block, "text", at));
                case "tool_use" -> {
                    JsonNode input = block.get("input");
                    if (input == null || !input.isObject()) throw JsonFields.wrongType(at + ".input", "an object");
                    calls.add(new ToolCall(required(block, "id", at), required(block, "name", at), input.toString()));
                }
                case "thinking", "redacted_thinking" -> { } // what a model thought is not carried to another turn
                default -> throw new InvalidRequestException(at + ".type: content blocks of type '" + JsonBodies.clip(block.path("type").asText())
                        + "' are not supported in an assistant message", at + ".type", "unsupported_content");
            }
        }
        out.add(ChatMessage.assistant(text.isEmpty() && !calls.isEmpty() ? null : text.toString(), calls));
    }

    /** A base64 source as a {@code data:} URL, or a URL source as itself. */
    private static String source(JsonNode block, String at, String mediaPrefix) {
        JsonNode source = block.path("source");
        switch (source.path("type").asText()) {
            case "base64" -> {
                String mediaType = required(source, "media_type", at + ".source");
                if (!mediaType.startsWith(mediaPrefix)) {
                    throw new InvalidRequestException(at + ".source.media_type: '" + JsonBodies.clip(mediaType) + "' is not supported", at + ".source.media_type");
                }
                return "data:" + mediaType + ";base64," + required(source, "data", at + ".source");
            }
            case "url" -> {
                String url = required(source, "url", at + ".source");
                if (!url.startsWith("https://") && !url.startsWith("http://")) {
                    throw new InvalidRequestException(at + ".source.url: must be an http(s) URL", at + ".source.url");
                }
                if (!mediaPrefix.startsWith("image/")) throw unsupported(at + ".source.type", "A document by URL");
                return url;
            }
            default -> throw new InvalidRequestException(at + ".source.type: must be 'base64' or 'url'", at + ".source.type");
        }
    }

    private static String toolResult(JsonNode content, String at) {
        if (content == null || content.isNull()) return "";
        if (content.isTextual()) return content.textValue();
        return texts(content, at + ".content");
    }

    /** An array of text blocks, joined. */
    private static String texts(JsonNode blocks, String path) {
        if (!blocks.isArray()) throw JsonFields.wrongType(path, "a string or an array of text blocks");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < blocks.size(); i++) {
            JsonNode block = blocks.get(i);
            if (!"text".equals(type(block, path + "." + i))) {
                throw new InvalidRequestException(path + "." + i + ".type: only text blocks are supported here", path + "." + i + ".type", "unsupported_content");
            }
            text.append(required(block, "text", path + "." + i));
        }
        return text.toString();
    }

    private List<ToolDefinition> tools(JsonNode tools) {
        if (tools == null || tools.isNull()) return List.of();
        if (!tools.isArray()) throw JsonFields.wrongType("tools", "an array");
        List<ToolDefinition> out = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String at = "tools." + i;
            if (!tool.isObject()) throw JsonFields.wrongType(at, "an object");
            String type = tool.path("type").asText("custom");
            if (!type.equals("custom")) throw unsupported(at + ".type", "Server tool '" + JsonBodies.clip(type) + "'");
            JsonNode schema = tool.get("input_schema");
            if (schema == null || !schema.isObject()) throw JsonFields.wrongType(at + ".input_schema", "an object");
            JsonNode strict = tool.get("strict");
            out.add(new ToolDefinition(ToolDefinition.FUNCTION, required(tool, "name", at), JsonFields.optionalString(tool, "description", at + ".description"),
                    schema.toString(), strict != null && strict.isBoolean() ? strict.booleanValue() : null, null));
        }
        return out;
    }

    /**
     * Anthropic's structured output as chat's strict {@code response_format}: {@code output_config.format} since it became
     * generally available, {@code output_format} in its beta; {@code {type: json_schema, schema}} in both.
     */
    private String structuredOutput(JsonNode root) {
        JsonNode config = root.get("output_config");
        if (config == null || config.isNull()) return outputFormat(root.get("output_format"), "output_format");
        if (!config.isObject()) throw JsonFields.wrongType("output_config", "an object");
        config.fieldNames().forEachRemaining(field -> {
            if (field.equals("effort")) throw unsupported("output_config.effort", "'output_config.effort'");
            if (!field.equals("format")) {
                throw new InvalidRequestException("output_config." + JsonBodies.clip(field) + ": Extra inputs are not permitted", "output_config." + field);
            }
        });
        if (root.hasNonNull("output_format") && config.hasNonNull("format")) {
            throw new InvalidRequestException("output_format and output_config.format cannot both be given", "output_format");
        }
        return config.hasNonNull("format") ? outputFormat(config.get("format"), "output_config.format") : outputFormat(root.get("output_format"), "output_format");
    }

    private String outputFormat(JsonNode format, String param) {
        if (format == null || format.isNull()) return null;
        if (!"json_schema".equals(format.path("type").asText()) || !format.path("schema").isObject()) {
            throw new InvalidRequestException(param + ": must be {\"type\": \"json_schema\", \"schema\": {...}}", param);
        }
        ObjectNode chat = json.createObjectNode().put("type", "json_schema");
        chat.putObject("json_schema").put("name", "output").put("strict", true).set("schema", format.get("schema"));
        return chat.toString();
    }

    /** Anthropic's tool_choice as OpenAI's. */
    private String toolChoice(JsonNode choice) {
        if (choice == null || choice.isNull()) return null;
        return switch (choice.path("type").asText()) {
            case "auto" -> "\"auto\"";
            case "any" -> "\"required\"";
            case "none" -> "\"none\"";
            case "tool" -> {
                ObjectNode named = json.createObjectNode().put("type", "function");
                named.putObject("function").put("name", required(choice, "name", "tool_choice"));
                yield named.toString();
            }
            default -> throw new InvalidRequestException("tool_choice.type: must be 'auto', 'any', 'tool' or 'none'", "tool_choice.type");
        };
    }

    private static String type(JsonNode block, String at) {
        if (!block.isObject()) throw JsonFields.wrongType(at, "an object");
        return required(block, "type", at);
    }

    private static String required(JsonNode node, String field, String at) {
        String value = JsonFields.optionalString(node, field, at + "." + field);
        if (value == null) throw new InvalidRequestException(at + "." + field + ": Field required", at + "." + field);
        return value;
    }

    private static InvalidRequestException unsupported(String param, String what) {
        return new InvalidRequestException(what + " is not supported by this gateway's Messages API", param, "unsupported_parameter");
    }
}
