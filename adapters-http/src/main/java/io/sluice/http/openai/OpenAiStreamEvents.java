package io.sluice.http.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.domain.ChatChunk;
import io.sluice.domain.error.UpstreamUnavailableException;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.http.upstream.StreamEvents;
import java.util.List;

/** OpenAI's chat stream: one chunk per event, an {@code error} event on failure, {@code [DONE]} at the end. */
final class OpenAiStreamEvents implements StreamEvents {
    private final OpenAiJson json;
    private boolean done;

    OpenAiStreamEvents(OpenAiJson json) {
        this.json = json;
    }

    @Override
    public List<ChatChunk> read(String data) throws Exception {
        if ("[DONE]".equals(data)) {
            done = true;
            return List.of();
        }
        JsonNode node = json.mapper().readTree(data);
        if (node.has("error")) throw new UpstreamUnavailableException(0, "The upstream provider reported an error mid-stream", null, null);
        return List.of(json.readChunk(node));
    }

    @Override
    public boolean finished() {
        return done;
    }
}
