package io.sluice.testkit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Google's Gemini API: {@code POST /v1beta/models/{model}:generateContent} and {@code :streamGenerateContent?alt=sse},
 * keys in {@code x-goog-api-key} (or {@code ?key=}), roles {@code user} and {@code model}, a stream that simply ends.
 */
final class GeminiDialect implements Dialect {
    static final GeminiDialect INSTANCE = new GeminiDialect();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String keyOf(RoutingContext ctx) {
        String key = ctx.request().getHeader("x-goog-api-key");
        if (key == null) key = ctx.request().getParam("key");
        return key == null ? "" : key;
    }

    private static String modelOf(RoutingContext ctx) {
        String path = ctx.request().path();
        return path.substring("/v1beta/models/".length(), path.lastIndexOf(':'));
    }

    @Override
    public ObjectNode toOpenAi(JsonNode body, RoutingContext ctx) {
        JsonNode contents = body.path("contents");
        if (!contents.isArray() || contents.isEmpty()) throw new IllegalArgumentException("* GenerateContentRequest.contents: contents is not specified");
        ObjectNode openAi = JSON.createObjectNode().put("model", modelOf(ctx));
        JsonNode max = body.path("generationConfig").path("maxOutputTokens");
        if (max.canConvertToInt()) openAi.put("max_tokens", max.asInt());
        ArrayNode out = openAi.putArray("messages");
        StringBuilder system = new StringBuilder();
        for (JsonNode part : body.path("systemInstruction").path("parts")) system.append(part.path("text").asText());
        if (!system.isEmpty()) out.addObject().put("role", "system").put("content", system.toString());
        for (JsonNode content : contents) {
            String role = content.path("role").asText("user");
            if (!role.equals("user") && !role.equals("model")) throw new IllegalArgumentException("Please use a valid role: user, model.");
            StringBuilder text = new StringBuilder();
            ArrayNode calls = JSON.createArrayNode();
            boolean media = false;
            for (JsonNode part : content.path("parts")) {
                if (part.has("text")) text.append(part.path("text").asText());
                if (part.has("inlineData") || part.has("fileData")) media = true; // seen (recentRequests), answered from the text
                if (part.has("functionCall")) {
                    JsonNode call = part.path("functionCall");
                    calls.addObject().put("id", call.path("id").asText("call_" + calls.size())).put("type", "function").putObject("function")
                            .put("name", call.path("name").asText()).put("arguments", call.path("args").toString());
                }
                if (part.has("functionResponse")) {
                    JsonNode response = part.path("functionResponse");
                    out.addObject().put("role", "tool").put("tool_call_id", response.path("id").asText(response.path("name").asText()))
                            .put("content", response.path("response").toString());
                }
            }
            if (!text.isEmpty() || !calls.isEmpty() || media) {
                ObjectNode m = out.addObject().put("role", role.equals("model") ? "assistant" : "user").put("content", text.toString());
                if (!calls.isEmpty()) m.set("tool_calls", calls);
            }
        }
        if (out.isEmpty() || out.size() == 1 && !system.isEmpty()) throw new IllegalArgumentException("contents.parts must not be empty");
        ArrayNode tools = JSON.createArrayNode();
        for (JsonNode tool : body.path("tools")) {
            for (JsonNode fn : tool.path("functionDeclarations")) {
                tools.addObject().put("type", "function").putObject("function").put("name", fn.path("name").asText()).set("parameters", fn.get("parameters"));
            }
        }
        if (!tools.isEmpty()) {
            openAi.set("tools", tools);
            JsonNode config = body.path("toolConfig").path("functionCallingConfig");
            if ("NONE".equals(config.path("mode").asText())) openAi.put("tool_choice", "none");
            if (config.path("allowedFunctionNames").size() == 1) {
                openAi.putObject("tool_choice").putObject("function").put("name", config.path("allowedFunctionNames").get(0).asText());
            }
        }
        JsonNode generation = body.path("generationConfig");
        if (generation.has("responseJsonSchema")) {
            openAi.putObject("response_format").put("type", "json_schema").putObject("json_schema").set("schema", generation.get("responseJsonSchema"));
        } else if ("application/json".equals(generation.path("responseMimeType").asText())) {
            openAi.putObject("response_format").put("type", "json_object");
        }
        return openAi;
    }

    @Override
    public boolean streams(JsonNode body, RoutingContext ctx) {
        return ctx.request().path().endsWith(":streamGenerateContent");
    }

    @Override
    public JsonNode completion(SimulatedAnswer answer) {
        ObjectNode root = response(answer);
        ObjectNode candidate = root.putArray("candidates").addObject();
        ArrayNode parts = candidate.putObject("content").put("role", "model").putArray("parts");
        if (answer.toolCall() != null) parts.addObject().set("functionCall", functionCall(answer));
        else parts.addObject().put("text", answer.text());
        candidate.put("finishReason", finishReason(answer)).put("index", 0);
        root.set("usageMetadata", usage(answer));
        return root;
    }

    @Override
    public List<Frame> frames(SimulatedAnswer answer, JsonNode request) {
        List<Frame> frames = new ArrayList<>();
        if (answer.toolCall() != null) {
            ObjectNode root = response(answer);
            ObjectNode candidate = root.putArray("candidates").addObject();
            candidate.putObject("content").put("role", "model").putArray("parts").addObject().set("functionCall", functionCall(answer));
            candidate.put("finishReason", finishReason(answer)).put("index", 0);
            root.set("usageMetadata", usage(answer));
            frames.add(new Frame("data: " + root + "\r\n\r\n", null));
            return frames;
        }
        List<String> pieces = answer.pieces();
        for (int i = 0; i < pieces.size(); i++) {
            ObjectNode root = response(answer);
            ObjectNode candidate = root.putArray("candidates").addObject();
            candidate.putObject("content").put("role", "model").putArray("parts").addObject().put("text", pieces.get(i));
            candidate.put("index", 0);
            if (i == pieces.size() - 1) {
                candidate.put("finishReason", finishReason(answer));
                root.set("usageMetadata", usage(answer));
            }
            frames.add(new Frame("data: " + root + "\r\n\r\n", pieces.get(i)));
        }
        return frames;
    }

    @Override
    public String end() {
        return "";
    }

    private static ObjectNode response(SimulatedAnswer answer) {
        return JSON.createObjectNode().put("modelVersion", answer.model()).put("responseId", answer.id().substring("chatcmpl-".length()));
    }

    private static ObjectNode functionCall(SimulatedAnswer answer) {
        ObjectNode call = JSON.createObjectNode().put("name", answer.toolCall().path("function").path("name").asText());
        try {
            call.set("args", JSON.readTree(answer.toolCall().path("function").path("arguments").asText()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return call;
    }

    private static ObjectNode usage(SimulatedAnswer answer) {
        return JSON.createObjectNode().put("promptTokenCount", answer.promptTokens()).put("candidatesTokenCount", answer.completionTokens())
                .put("totalTokenCount", answer.promptTokens() + answer.completionTokens());
    }

    private static String finishReason(SimulatedAnswer answer) {
        return answer.finishReason().equals("length") ? "MAX_TOKENS" : "STOP";
    }

    @Override
    public JsonNode error(int status, String message, String param) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("code", status).put("message", message).put("status", switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            default -> "INTERNAL";
        });
        return root;
    }
}
