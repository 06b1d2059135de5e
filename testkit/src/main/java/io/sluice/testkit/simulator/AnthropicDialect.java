package io.sluice.testkit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic's Messages API: {@code POST /v1/messages}, keys in {@code x-api-key}, {@code anthropic-version} required,
 * {@code max_tokens} required, strictly alternating roles starting with the user, overloaded answered with 529.
 */
final class AnthropicDialect implements Dialect {
    static final AnthropicDialect INSTANCE = new AnthropicDialect();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String keyOf(RoutingContext ctx) {
        String key = ctx.request().getHeader("x-api-key");
        return key == null ? "" : key;
    }

    @Override
    public ObjectNode toOpenAi(JsonNode body, RoutingContext ctx) {
        if (ctx.request().getHeader("anthropic-version") == null) throw new IllegalArgumentException("anthropic-version: header is required");
        if (!body.path("max_tokens").canConvertToInt()) throw new IllegalArgumentException("max_tokens: Field required");
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) throw new IllegalArgumentException("messages: at least one message is required");
        ObjectNode openAi = JSON.createObjectNode().put("model", body.path("model").asText()).put("max_tokens", body.path("max_tokens").asInt());
        ArrayNode out = openAi.putArray("messages");
        if (body.hasNonNull("system")) out.addObject().put("role", "system").put("content", body.path("system").asText());
        String previous = null;
        for (JsonNode m : messages) {
            String role = m.path("role").asText();
            if (!role.equals("user") && !role.equals("assistant")) throw new IllegalArgumentException("messages: role must be user or assistant");
            if (role.equals(previous)) throw new IllegalArgumentException("messages: roles must alternate between \"user\" and \"assistant\"");
            if (previous == null && !role.equals("user")) throw new IllegalArgumentException("messages: first message must use the \"user\" role");
            previous = role;
            addMessages(out, role, m.path("content"));
        }
        JsonNode tools = body.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            ArrayNode openAiTools = openAi.putArray("tools");
            for (JsonNode t : tools) {
                openAiTools.addObject().put("type", "function").putObject("function").put("name", t.path("name").asText())
                        .set("parameters", t.get("input_schema"));
            }
            String choice = body.path("tool_choice").path("type").asText("auto");
            if (choice.equals("none")) openAi.put("tool_choice", "none");
            if (choice.equals("tool")) openAi.putObject("tool_choice").putObject("function").put("name", body.path("tool_choice").path("name").asText());
        }
        // structured outputs: output_config.format since they became generally available, output_format in their beta
        JsonNode format = body.path("output_config").has("format") ? body.path("output_config").path("format") : body.path("output_format");
        if ("json_schema".equals(format.path("type").asText())) {
            openAi.putObject("response_format").put("type", "json_schema").putObject("json_schema").set("schema", format.get("schema"));
        }
        return openAi;
    }

    /** One Anthropic turn as OpenAI messages: its text (and tool calls), or its tool results as tool messages. */
    private static void addMessages(ArrayNode out, String role, JsonNode content) {
        if (content.isTextual()) {
            out.addObject().put("role", role).put("content", content.asText());
            return;
        }
        StringBuilder text = new StringBuilder();
        ArrayNode calls = JSON.createArrayNode();
        boolean media = false;
        for (JsonNode block : content) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "tool_use" -> {
                    ObjectNode call = calls.addObject().put("id", block.path("id").asText()).put("type", "function");
                    call.putObject("function").put("name", block.path("name").asText()).put("arguments", block.path("input").toString());
                }
                case "tool_result" -> out.addObject().put("role", "tool").put("tool_call_id", block.path("tool_use_id").asText())
                        .put("content", block.path("content").isTextual() ? block.path("content").asText() : block.path("content").toString());
                case "image", "document" -> media = true; // seen (recentRequests), answered from the text
                default -> throw new IllegalArgumentException("messages: unsupported content block type " + block.path("type"));
            }
        }
        if (!text.isEmpty() || !calls.isEmpty() || media) {
            ObjectNode m = out.addObject().put("role", role).put("content", text.toString());
            if (!calls.isEmpty()) m.set("tool_calls", calls);
        }
    }

    @Override
    public boolean streams(JsonNode body, RoutingContext ctx) {
        return body.path("stream").asBoolean(false);
    }

    @Override
    public JsonNode completion(SimulatedAnswer answer) {
        ObjectNode root = message(answer);
        ArrayNode content = root.putArray("content");
        if (answer.toolCall() != null) {
            content.addObject().put("type", "tool_use").put("id", toolUseId(answer)).put("name", toolName(answer)).set("input", toolInput(answer));
        } else {
            content.addObject().put("type", "text").put("text", answer.text());
        }
        root.put("stop_reason", stopReason(answer));
        root.putNull("stop_sequence");
        root.set("usage", usage(answer, answer.completionTokens()));
        return root;
    }

    @Override
    public List<Frame> frames(SimulatedAnswer answer, JsonNode request) {
        List<Frame> frames = new ArrayList<>();
        ObjectNode start = JSON.createObjectNode().put("type", "message_start");
        ObjectNode message = message(answer);
        message.putArray("content");
        message.putNull("stop_reason");
        message.set("usage", usage(answer, 1));
        start.set("message", message);
        frames.add(frame("message_start", start, null));
        ObjectNode blockStart = JSON.createObjectNode().put("type", "content_block_start").put("index", 0);
        if (answer.toolCall() != null) {
            blockStart.putObject("content_block").put("type", "tool_use").put("id", toolUseId(answer)).put("name", toolName(answer)).putObject("input");
            frames.add(frame("content_block_start", blockStart, null));
            ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
            delta.putObject("delta").put("type", "input_json_delta").put("partial_json", toolInput(answer).toString());
            frames.add(frame("content_block_delta", delta, null));
        } else {
            blockStart.putObject("content_block").put("type", "text").put("text", "");
            frames.add(frame("content_block_start", blockStart, null));
            frames.add(frame("ping", JSON.createObjectNode().put("type", "ping"), null));
            for (String piece : answer.pieces()) {
                ObjectNode delta = JSON.createObjectNode().put("type", "content_block_delta").put("index", 0);
                delta.putObject("delta").put("type", "text_delta").put("text", piece);
                frames.add(frame("content_block_delta", delta, piece));
            }
        }
        frames.add(frame("content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", 0), null));
        ObjectNode messageDelta = JSON.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", stopReason(answer)).putNull("stop_sequence");
        messageDelta.putObject("usage").put("output_tokens", answer.completionTokens());
        frames.add(frame("message_delta", messageDelta, null));
        return frames;
    }

    @Override
    public String end() {
        return "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    }

    private static Frame frame(String event, ObjectNode data, String piece) {
        return new Frame("event: " + event + "\ndata: " + data + "\n\n", piece);
    }

    private static ObjectNode message(SimulatedAnswer answer) {
        return JSON.createObjectNode().put("id", "msg_" + answer.id().substring("chatcmpl-".length())).put("type", "message")
                .put("role", "assistant").put("model", answer.model());
    }

    private static ObjectNode usage(SimulatedAnswer answer, int output) {
        return JSON.createObjectNode().put("input_tokens", answer.promptTokens()).put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", 0).put("output_tokens", output);
    }

    private static String stopReason(SimulatedAnswer answer) {
        return switch (answer.finishReason()) {
            case "tool_calls" -> "tool_use";
            case "length" -> "max_tokens";
            default -> "end_turn";
        };
    }

    private static String toolUseId(SimulatedAnswer answer) {
        return "toolu_" + answer.toolCall().path("id").asText().replace("call_", "");
    }

    private static String toolName(SimulatedAnswer answer) {
        return answer.toolCall().path("function").path("name").asText();
    }

    private static JsonNode toolInput(SimulatedAnswer answer) {
        try {
            return JSON.readTree(answer.toolCall().path("function").path("arguments").asText());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public JsonNode error(int status, String message, String param) {
        ObjectNode root = JSON.createObjectNode().put("type", "error");
        root.putObject("error").put("type", switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        }).put("message", message);
        return root;
    }

    @Override
    public int overloadedStatus() {
        return 529;
    }
}
