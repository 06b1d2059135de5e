package io.sluice.http.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.ChatChunk;
import io.sluice.domain.Role;
import io.sluice.domain.ToolCall;
import io.sluice.domain.ToolCallDelta;
import io.sluice.domain.Usage;
import io.sluice.domain.error.UpstreamRateLimitedException;
import io.sluice.domain.error.UpstreamUnavailableException;
import io.sluice.http.upstream.StreamEvents;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemini's {@code streamGenerateContent?alt=sse}: every event is a partial response. Text parts become content
 * deltas, a function call arrives whole and becomes one tool-call delta, and the event with a finish reason gives
 * the finish chunk and then the usage chunk; a stream that closes before it was cut.
 */
final class GeminiStreamEvents implements StreamEvents {
    private final ObjectMapper json;
    private final long created = System.currentTimeMillis() / 1000;
    private boolean started;
    private int toolCalls;
    private boolean finished;

    GeminiStreamEvents(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public List<ChatChunk> read(String data) throws Exception {
        JsonNode root = json.readTree(data);
        if (root.has("error")) throw errorOf(root.path("error"));
        String id = GeminiJson.idOf(root);
        String model = root.path("modelVersion").asText("unknown");
        List<ChatChunk> chunks = new ArrayList<>();
        if (!started) {
            started = true;
            chunks.add(new ChatChunk(id, model, created, Role.ASSISTANT, "", List.of(), null, null));
        }
        JsonNode candidate = root.path("candidates").path(0);
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.path("thought").asBoolean(false)) continue;
            if (part.has("text")) chunks.add(new ChatChunk(id, model, created, null, part.path("text").asText(), List.of(), null, null));
            if (part.has("functionCall")) {
                ToolCall call = GeminiJson.toolCall(part.path("functionCall"), toolCalls, root);
                chunks.add(new ChatChunk(id, model, created, null, null,
                        List.of(new ToolCallDelta(toolCalls++, call.id(), call.name(), call.argumentsJson())), null, null));
            }
        }
        String reason = GeminiJson.finishReason(candidate.path("finishReason").asText(null), toolCalls > 0);
        if (reason != null) {
            finished = true;
            Usage usage = GeminiJson.usage(root.path("usageMetadata"));
            chunks.add(new ChatChunk(id, model, created, null, null, List.of(), reason, null));
            chunks.add(new ChatChunk(id, model, created, null, null, List.of(), null, usage));
        }
        return chunks;
    }

    static RuntimeException errorOf(JsonNode error) {
        int code = error.path("code").asInt(500);
        String message = "The upstream provider reported " + error.path("status").asText("an error") + " mid-stream";
        return code == 429 ? new UpstreamRateLimitedException(message, null) : new UpstreamUnavailableException(code, message, null, null);
    }

    @Override
    public boolean finished() {
        return finished;
    }
}
