package io.sluice.testkit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** OpenAI's chat completions: {@code POST /v1/chat/completions}, keys as {@code Authorization: Bearer}. */
final class OpenAiDialect implements Dialect {
    static final OpenAiDialect INSTANCE = new OpenAiDialect();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String keyOf(RoutingContext ctx) {
        String auth = ctx.request().getHeader("authorization");
        return auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
    }

    @Override
    public ObjectNode toOpenAi(JsonNode body, RoutingContext ctx) {
        JsonNode messages = body.path("messages");
        if (!body.isObject() || !messages.isArray() || messages.isEmpty()) throw new IllegalArgumentException("'messages' must be a non-empty array");
        return (ObjectNode) body;
    }

    @Override
    public boolean streams(JsonNode body, RoutingContext ctx) {
        return body.path("stream").asBoolean(false);
    }

    @Override
    public JsonNode completion(SimulatedAnswer answer) {
        return answer.completion();
    }

    @Override
    public List<Frame> frames(SimulatedAnswer answer, JsonNode request) {
        List<Frame> frames = new ArrayList<>();
        frames.add(frame(answer, d -> d.put("role", "assistant").put("content", answer.toolCall() == null ? "" : null), null, null));
        if (answer.toolCall() != null) {
            frames.add(frame(answer, d -> {
                ObjectNode call = d.putArray("tool_calls").addObject();
                call.put("index", 0).put("id", answer.toolCall().path("id").asText()).put("type", "function");
                call.putObject("function").put("name", answer.toolCall().path("function").path("name").asText())
                        .put("arguments", answer.toolCall().path("function").path("arguments").asText());
            }, null, null));
        }
        for (String piece : answer.pieces()) frames.add(frame(answer, d -> d.put("content", piece), null, piece));
        frames.add(frame(answer, d -> { }, answer.finishReason(), null));
        for (int i = 1; i < answer.choices(); i++) { // the other choices, each in one chunk, after the first
            frames.add(frame(answer, i, d -> d.put("role", "assistant").put("content", answer.text()), answer.finishReason(), null));
        }
        if (request.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode usage = answer.header("chat.completion.chunk");
            usage.putArray("choices");
            usage.set("usage", answer.usage(answer.completionTokens()));
            frames.add(new Frame("data: " + usage + "\n\n", null));
        }
        return frames;
    }

    private static Frame frame(SimulatedAnswer answer, java.util.function.Consumer<ObjectNode> fill, String finishReason, String piece) {
        return frame(answer, 0, fill, finishReason, piece);
    }

    private static Frame frame(SimulatedAnswer answer, int index, java.util.function.Consumer<ObjectNode> fill, String finishReason, String piece) {
        ObjectNode chunk = answer.header("chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", index);
        fill.accept(choice.putObject("delta"));
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return new Frame("data: " + chunk + "\n\n", piece);
    }

    @Override
    public String end() {
        return "data: [DONE]\n\n";
    }

    @Override
    public JsonNode error(int status, String message, String param) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode inner = root.putObject("error");
        inner.put("message", message).put("type", switch (status) {
            case 400, 401, 404 -> "invalid_request_error";
            case 429 -> "requests";
            default -> "server_error";
        });
        inner.put("param", param);
        inner.put("code", switch (status) {
            case 429 -> "rate_limit_exceeded";
            case 400 -> "invalid_value"; // OpenAI's code for a field it refuses
            default -> null;
        });
        return root;
    }
}
