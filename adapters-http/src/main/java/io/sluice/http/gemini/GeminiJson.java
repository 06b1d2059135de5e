package io.sluice.http.gemini;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gemini's {@code generateContent}, translated to and from the gateway's values: system messages become
 * {@code systemInstruction}; the assistant is the {@code model} role; tool calls are {@code functionCall} parts and
 * tool results {@code functionResponse} parts, named after the call they answer (Gemini matches by name). Thread-safe.
 */
final class GeminiJson {
    private final ObjectMapper json;

    GeminiJson(ObjectMapper json) {
        this.json = json;
    }

    ObjectMapper mapper() {
        return json;
    }

    byte[] writeRequest(ChatRequest request) throws IOException {
        ObjectNode root = json.createObjectNode();
        ChatOptions o = request.options();
        Translation.requireTranslatable("gemini", o, false);
        JsonNode choice = o.toolChoiceJson() == null ? null : json.readTree(o.toolChoiceJson());
        if (choice != null) Translation.requireFunctionChoice("gemini", choice);
        Turns turns = Turns.of(request.messages());
        Map<String, String> toolNames = new HashMap<>();
        ArrayNode contents = root.putArray("contents");
        for (Turns.Turn turn : turns.turns()) {
            ArrayNode parts = contents.addObject().put("role", turn.assistant() ? "model" : "user").putArray("parts");
            for (ChatMessage m : turn.messages()) writeParts(parts, m, toolNames);
        }
        if (!turns.system().isEmpty()) root.putObject("systemInstruction").putArray("parts").addObject().put("text", turns.system());
        if (!o.tools().isEmpty()) {
            ArrayNode declarations = root.putArray("tools").addObject().putArray("functionDeclarations");
            for (ToolDefinition t : Translation.allowed(o.tools(), choice)) {
                ObjectNode fn = declarations.addObject().put("name", t.name());
                if (t.description() != null) fn.put("description", t.description());
                if (t.parametersJson() != null) fn.set("parameters", json.readTree(t.parametersJson()));
            }
        }
        if (choice != null) root.putObject("toolConfig").set("functionCallingConfig", toolChoice(choice));
        ObjectNode generation = json.createObjectNode();
        if (o.temperature() != null) generation.put("temperature", o.temperature());
        if (o.topP() != null) generation.put("topP", o.topP());
        if (o.maxTokens() != null) generation.put("maxOutputTokens", o.maxTokens());
        if (!o.stop().isEmpty()) o.stop().forEach(generation.putArray("stopSequences")::add);
        if (o.seed() != null) generation.put("seed", o.seed());
        if (o.presencePenalty() != null) generation.put("presencePenalty", o.presencePenalty());
        if (o.frequencyPenalty() != null) generation.put("frequencyPenalty", o.frequencyPenalty());
        if (o.responseFormatJson() != null) responseFormat(json.readTree(o.responseFormatJson()), generation);
        if (!generation.isEmpty()) root.set("generationConfig", generation);
        return json.writeValueAsBytes(root);
    }

    private void writeParts(ArrayNode parts, ChatMessage m, Map<String, String> toolNames) throws IOException {
        if (m.role() == Role.TOOL) {
            ObjectNode response = parts.addObject().putObject("functionResponse");
            response.put("name", toolNames.getOrDefault(m.toolCallId(), m.toolCallId()));
            response.set("response", objectOf(m.content()));
            return;
        }
        if (m.hasMedia()) {
            for (ContentPart part : m.parts()) writePart(parts, part);
        } else if (m.content() != null && !m.content().isEmpty()) {
            parts.addObject().put("text", m.content());
        }
        for (ToolCall call : m.toolCalls()) {
            toolNames.put(call.id(), call.name());
            ObjectNode fn = parts.addObject().putObject("functionCall").put("name", call.name());
            fn.set("args", call.argumentsJson().isBlank() ? json.createObjectNode() : json.readTree(call.argumentsJson()));
        }
    }

    /** An OpenAI content part as Gemini's: inline data (images, audio, files) or a file by its URI; no uploaded OpenAI files. */
    private static void writePart(ArrayNode parts, ContentPart part) {
        switch (part) {
            case ContentPart.Text t -> {
                if (!t.text().isEmpty()) parts.addObject().put("text", t.text());
            }
            case ContentPart.Image i -> {
                if (i.isInline()) inline(parts, ContentPart.mediaType(i.url()), ContentPart.base64Data(i.url()));
                else parts.addObject().putObject("fileData").put("mimeType", imageType(i.url())).put("fileUri", i.url());
            }
            case ContentPart.Audio a -> inline(parts, "audio/" + a.format(), a.data());
            case ContentPart.File f -> {
                String data = ContentPart.base64Data(f.fileData());
                if (data == null) throw UnsupportedFeatureException.of("gemini", "messages", "A file by 'file_id'");
                inline(parts, ContentPart.mediaType(f.fileData()), data);
            }
        }
    }

    private static void inline(ArrayNode parts, String mimeType, String data) {
        parts.addObject().putObject("inlineData").put("mimeType", mimeType).put("data", data);
    }

    /** The media type a linked image's name says, for Gemini, which asks for one. */
    private static String imageType(String url) {
        String path = url.toLowerCase(java.util.Locale.ROOT).replaceAll("[?#].*$", "");
        if (path.endsWith(".png")) return "image/png";
        if (path.endsWith(".webp")) return "image/webp";
        if (path.endsWith(".gif")) return "image/gif";
        return "image/jpeg";
    }

    /** A tool result as the object Gemini wants: the result itself when it is a JSON object, else wrapped. */
    private JsonNode objectOf(String content) {
        try {
            JsonNode node = json.readTree(content);
            if (node != null && node.isObject()) return node;
        } catch (IOException notJson) {
            // a plain-text result
        }
        return json.createObjectNode().put("content", content);
    }

    /** OpenAI's response_format as Gemini's JSON mode: a JSON Schema ({@code responseJsonSchema}), or any JSON. */
    private static void responseFormat(JsonNode format, ObjectNode generation) {
        switch (format.path("type").asText()) {
            case "json_schema" -> generation.put("responseMimeType", "application/json")
                    .set("responseJsonSchema", format.path("json_schema").path("schema"));
            case "json_object" -> generation.put("responseMimeType", "application/json");
            default -> { } // text
        }
    }

    private ObjectNode toolChoice(JsonNode choice) {
        ObjectNode config = json.createObjectNode();
        String mode = choice.isTextual() ? choice.textValue() : Translation.allowedMode(choice);
        if (mode != null) {
            return config.put("mode", switch (mode) {
                case "required" -> "ANY";
                case "none" -> "NONE";
                default -> "AUTO";
            });
        }
        config.put("mode", "ANY").putArray("allowedFunctionNames").add(choice.path("function").path("name").asText());
        return config;
    }

    ChatResponse readResponse(JsonNode root) {
        JsonNode candidate = root.path("candidates").path(0);
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.path("thought").asBoolean(false)) continue;
            if (part.has("text")) text.append(part.path("text").asText());
            if (part.has("functionCall")) calls.add(toolCall(part.path("functionCall"), calls.size(), root));
        }
        String finish = finishReason(candidate.path("finishReason").asText(null), !calls.isEmpty());
        return new ChatResponse(idOf(root), root.path("modelVersion").asText("unknown"), System.currentTimeMillis() / 1000,
                ChatMessage.assistant(text.isEmpty() && !calls.isEmpty() ? null : text.toString(), calls), finish, usage(root.path("usageMetadata")));
    }

    static String idOf(JsonNode root) {
        return root.path("responseId").asText("gemini-unknown");
    }

    /** Gemini's calls may have no id; one is made from the response's, so that the result can be matched to it. */
    static ToolCall toolCall(JsonNode call, int index, JsonNode root) {
        String id = call.path("id").asText("call_" + idOf(root) + "_" + index);
        return new ToolCall(id, call.path("name").asText(), call.path("args").isMissingNode() ? "{}" : call.path("args").toString());
    }

    static String finishReason(String reason, boolean calledTools) {
        if (reason == null) return null;
        return switch (reason) {
            case "STOP" -> calledTools ? "tool_calls" : "stop";
            case "MAX_TOKENS" -> "length";
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" -> "content_filter";
            default -> "stop";
        };
    }

    /** Gemini's thinking tokens are billed as output, so they count as completion tokens. */
    static Usage usage(JsonNode node) {
        int prompt = node.path("promptTokenCount").asInt(0);
        int cached = Math.min(prompt, node.path("cachedContentTokenCount").asInt(0));
        return new Usage(prompt, node.path("candidatesTokenCount").asInt(0) + node.path("thoughtsTokenCount").asInt(0), cached);
    }
}
