package io.sluice.http.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatOptions;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.ContentPart;
import io.sluice.domain.error.UnsupportedFeatureException;
import io.sluice.domain.Role;
import io.sluice.domain.ToolCall;
import io.sluice.domain.ToolDefinition;
import io.sluice.domain.Usage;
import io.sluice.http.upstream.Translation;
import io.sluice.http.upstream.Turns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic's Messages API, translated to and from the gateway's values: system messages become the {@code system}
 * field; consecutive messages of one role are merged, as the API wants roles to alternate; tool calls become
 * {@code tool_use} blocks and tool results {@code tool_result} blocks in a user turn; a context that starts with the
 * assistant (a sliding window can) gets a short user turn before it, as the API requires the user first. Thread-safe.
 */
final class AnthropicJson {
    /** The user turn put before a context that starts with the assistant. */
    static final String EARLIER_OMITTED = "(earlier messages omitted)";

    private final ObjectMapper json;
    private final int defaultMaxTokens;

    /** @param defaultMaxTokens the {@code max_tokens} of requests that set none: the API requires one */
    AnthropicJson(ObjectMapper json, int defaultMaxTokens) {
        this.json = json;
        this.defaultMaxTokens = defaultMaxTokens;
    }

    ObjectMapper mapper() {
        return json;
    }

    byte[] writeRequest(ChatRequest request, boolean stream) throws IOException {
        ObjectNode root = json.createObjectNode();
        ChatOptions o = request.options();
        Translation.requireTranslatable("anthropic", o, true);
        JsonNode choice = o.toolChoiceJson() == null ? null : json.readTree(o.toolChoiceJson());
        if (choice != null) Translation.requireFunctionChoice("anthropic", choice);
        root.put("model", request.model());
        root.put("max_tokens", o.maxTokens() != null ? o.maxTokens() : defaultMaxTokens);
        Turns turns = Turns.of(request.messages());
        ArrayNode messages = root.putArray("messages");
        if (!turns.turns().isEmpty() && turns.turns().getFirst().assistant()) {
            // a context window can start at an assistant message; the API wants the user first
            messages.addObject().put("role", "user").putArray("content").addObject().put("type", "text").put("text", EARLIER_OMITTED);
        }
        for (Turns.Turn turn : turns.turns()) {
            ArrayNode content = messages.addObject().put("role", turn.assistant() ? "assistant" : "user").putArray("content");
            for (ChatMessage m : turn.messages()) writeBlocks(content, m);
        }
        if (!turns.system().isEmpty()) root.put("system", turns.system());
        if (stream) root.put("stream", true);
        if (o.temperature() != null) root.put("temperature", Math.min(1.0, o.temperature()));
        if (o.topP() != null) root.put("top_p", o.topP());
        if (!o.stop().isEmpty()) o.stop().forEach(root.putArray("stop_sequences")::add);
        if (!o.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (ToolDefinition t : Translation.allowed(o.tools(), choice)) {
                ObjectNode tool = tools.addObject().put("name", t.name());
                if (t.description() != null) tool.put("description", t.description());
                tool.set("input_schema", t.parametersJson() != null ? json.readTree(t.parametersJson())
                        : json.createObjectNode().put("type", "object"));
                if (t.strict() != null) tool.put("strict", t.strict()); // structured outputs: Anthropic's name is OpenAI's
            }
        }
        if (choice != null) root.set("tool_choice", toolChoice(choice));
        if (o.user() != null) root.putObject("metadata").put("user_id", o.user());
        if (o.responseFormatJson() != null) outputFormat(json.readTree(o.responseFormatJson()), root);
        return json.writeValueAsBytes(root);
    }

    /**
     * The beta that gave Anthropic's API structured outputs ({@code strict} tools, and {@code output_format} before
     * {@code output_config.format}); still sent with them, for API versions and relays that need it.
     */
    static final String STRUCTURED_OUTPUTS_BETA = "structured-outputs-2025-11-13";

    /** Whether a request needs {@link #STRUCTURED_OUTPUTS_BETA}. */
    static boolean needsStructuredOutputs(ChatOptions o) {
        return o.responseFormatJson() != null && o.responseFormatJson().contains("\"json_schema\"")
                || o.tools().stream().anyMatch(t -> Boolean.TRUE.equals(t.strict()));
    }

    /** OpenAI's response_format as Anthropic's structured output ({@code output_config.format}); it has no mode for "any JSON". */
    private static void outputFormat(JsonNode format, ObjectNode root) {
        switch (format.path("type").asText()) {
            case "json_schema" -> root.putObject("output_config").putObject("format").put("type", "json_schema")
                    .set("schema", format.path("json_schema").path("schema"));
            case "json_object" -> throw UnsupportedFeatureException.of("anthropic", "response_format.type",
                    "JSON mode without a schema ('json_object')");
            default -> { } // text
        }
    }

    private void writeBlocks(ArrayNode content, ChatMessage m) throws IOException {
        if (m.role() == Role.TOOL) {
            content.addObject().put("type", "tool_result").put("tool_use_id", m.toolCallId()).put("content", m.content());
            return;
        }
        if (m.hasMedia()) {
            for (ContentPart part : m.parts()) writePart(content, part);
        } else if (m.content() != null && !m.content().isEmpty()) {
            content.addObject().put("type", "text").put("text", m.content());
        }
        for (ToolCall call : m.toolCalls()) {
            JsonNode input = call.argumentsJson().isBlank() ? json.createObjectNode() : json.readTree(call.argumentsJson());
            content.addObject().put("type", "tool_use").put("id", call.id()).put("name", call.name()).set("input", input);
        }
    }

    /** An OpenAI content part as Anthropic's block: images by link or base64, PDFs as documents; no audio, no uploaded files. */
    private static void writePart(ArrayNode content, ContentPart part) {
        switch (part) {
            case ContentPart.Text t -> {
                if (!t.text().isEmpty()) content.addObject().put("type", "text").put("text", t.text());
            }
            case ContentPart.Image i -> {
                ObjectNode source = content.addObject().put("type", "image").putObject("source");
                if (i.isInline()) source.put("type", "base64").put("media_type", ContentPart.mediaType(i.url())).put("data", ContentPart.base64Data(i.url()));
                else source.put("type", "url").put("url", i.url());
            }
            case ContentPart.Audio a -> throw UnsupportedFeatureException.of("anthropic", "messages", "Audio input ('input_audio')");
            case ContentPart.File f -> {
                if (f.fileData() == null || !"application/pdf".equals(ContentPart.mediaType(f.fileData())) || ContentPart.base64Data(f.fileData()) == null) {
                    throw UnsupportedFeatureException.of("anthropic", "messages", "A file other than a base64 PDF");
                }
                content.addObject().put("type", "document").putObject("source").put("type", "base64").put("media_type", "application/pdf")
                        .put("data", ContentPart.base64Data(f.fileData()));
            }
        }
    }

    /** OpenAI's tool_choice ("auto", "none", "required", a named function, or the allowed tools) in Anthropic's shape. */
    private ObjectNode toolChoice(JsonNode choice) {
        ObjectNode node = json.createObjectNode();
        String mode = choice.isTextual() ? choice.textValue() : Translation.allowedMode(choice);
        if (mode != null) {
            return node.put("type", switch (mode) {
                case "required" -> "any";
                case "none" -> "none";
                default -> "auto";
            });
        }
        return node.put("type", "tool").put("name", choice.path("function").path("name").asText());
    }

    ChatResponse readResponse(JsonNode root) {
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode block : root.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "tool_use" -> calls.add(new ToolCall(block.path("id").asText(), block.path("name").asText(), block.path("input").toString()));
                default -> { } // thinking and other blocks have no place in an OpenAI message
            }
        }
        return new ChatResponse(root.path("id").asText("msg-unknown"), root.path("model").asText("unknown"), System.currentTimeMillis() / 1000,
                ChatMessage.assistant(text.isEmpty() && !calls.isEmpty() ? null : text.toString(), calls),
                finishReason(root.path("stop_reason").asText(null)), usage(root.path("usage"), 0));
    }

    /** Anthropic's stop reason as OpenAI's finish reason. */
    static String finishReason(String stopReason) {
        if (stopReason == null) return null;
        return switch (stopReason) {
            case "max_tokens" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    /**
     * Anthropic counts input apart from cache reads and writes; the gateway's prompt tokens are all three, as OpenAI
     * counts them. {@code inputAlready} is input reported earlier in a stream (message_start) and not repeated.
     */
    static Usage usage(JsonNode node, int inputAlready) {
        int cacheRead = node.path("cache_read_input_tokens").asInt(0);
        int cacheWrite = node.path("cache_creation_input_tokens").asInt(0);
        int input = node.path("input_tokens").asInt(inputAlready);
        return new Usage(input + cacheRead + cacheWrite, node.path("output_tokens").asInt(0), cacheRead, cacheWrite);
    }
}
