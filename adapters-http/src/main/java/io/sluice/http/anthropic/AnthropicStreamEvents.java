package io.sluice.http.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.ChatChunk;
import io.sluice.domain.Role;
import io.sluice.domain.ToolCallDelta;
import io.sluice.domain.Usage;
import io.sluice.domain.error.UpstreamRateLimitedException;
import io.sluice.domain.error.UpstreamUnavailableException;
import io.sluice.http.upstream.StreamEvents;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Anthropic's message stream as OpenAI-shaped chunks: {@code message_start} gives the role chunk (and the id, model
 * and input usage every later chunk needs), text and tool-input deltas give content and tool-call deltas,
 * {@code message_delta} the finish reason, and {@code message_stop} the usage chunk that ends the stream.
 */
final class AnthropicStreamEvents implements StreamEvents {
    private final ObjectMapper json;
    private final long created = System.currentTimeMillis() / 1000;
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
    private String id = "msg-unknown";
    private String model = "unknown";
    private JsonNode startUsage;
    private Usage usage;
    private boolean stopped;

    AnthropicStreamEvents(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public List<ChatChunk> read(String data) throws Exception {
        JsonNode event = json.readTree(data);
        return switch (event.path("type").asText()) {
            case "message_start" -> {
                JsonNode message = event.path("message");
                id = message.path("id").asText(id);
                model = message.path("model").asText(model);
                startUsage = message.path("usage");
                yield List.of(chunk(Role.ASSISTANT, "", List.of(), null, null));
            }
            case "content_block_start" -> {
                JsonNode block = event.path("content_block");
                if (!"tool_use".equals(block.path("type").asText())) yield List.of();
                int toolIndex = toolIndexByBlock.size();
                toolIndexByBlock.put(event.path("index").asInt(), toolIndex);
                yield List.of(chunk(null, null, List.of(new ToolCallDelta(toolIndex, block.path("id").asText(), block.path("name").asText(), "")),
                        null, null));
            }
            case "content_block_delta" -> {
                JsonNode delta = event.path("delta");
                yield switch (delta.path("type").asText()) {
                    case "text_delta" -> List.of(chunk(null, delta.path("text").asText(), List.of(), null, null));
                    case "input_json_delta" -> List.of(chunk(null, null, List.of(new ToolCallDelta(
                            toolIndexByBlock.getOrDefault(event.path("index").asInt(), 0), null, null, delta.path("partial_json").asText())), null, null));
                    default -> List.of(); // thinking and signature deltas have no place in an OpenAI stream
                };
            }
            case "message_delta" -> {
                usage = usageOf(event.path("usage"));
                String reason = AnthropicJson.finishReason(event.path("delta").path("stop_reason").asText(null));
                yield reason == null ? List.of() : List.of(chunk(null, null, List.of(), reason, null));
            }
            case "message_stop" -> {
                stopped = true;
                yield List.of(chunk(null, null, List.of(), null, usage != null ? usage : usageOf(json.createObjectNode())));
            }
            case "error" -> throw errorOf(event.path("error"));
            default -> List.of(); // ping, content_block_stop
        };
    }

    /** The final usage: message_delta's counts over message_start's, as later events repeat only what changed. */
    private Usage usageOf(JsonNode delta) {
        com.fasterxml.jackson.databind.node.ObjectNode merged = json.createObjectNode();
        if (startUsage != null && startUsage.isObject()) merged.setAll((com.fasterxml.jackson.databind.node.ObjectNode) startUsage.deepCopy());
        if (delta.isObject()) delta.properties().forEach(e -> {
            if (!e.getValue().isNull()) merged.set(e.getKey(), e.getValue());
        });
        return AnthropicJson.usage(merged, 0);
    }

    private ChatChunk chunk(Role role, String content, List<ToolCallDelta> calls, String finishReason, Usage usage) {
        return new ChatChunk(id, model, created, role, content, calls, finishReason, usage);
    }

    /** An error event: an overloaded or failing upstream is worth another attempt; a rate limit is the key's. */
    static RuntimeException errorOf(JsonNode error) {
        String message = "The upstream provider reported " + error.path("type").asText("an error") + " mid-stream";
        return switch (error.path("type").asText()) {
            case "rate_limit_error" -> new UpstreamRateLimitedException(message, null);
            case "overloaded_error" -> new UpstreamUnavailableException(529, message, null, null);
            default -> new UpstreamUnavailableException(500, message, null, null);
        };
    }

    @Override
    public boolean finished() {
        return stopped;
    }
}
