package io.sluice.testkit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.api.Encoding;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams one answer as OpenAI frames it: a role chunk, one chunk per word (or the tool call), the finish chunk, the
 * usage chunk when asked for, then {@code [DONE]}; or, for a stream cut, half of it and a reset connection.
 */
final class SimulatedStream {
    private final Simulator simulator;
    private final HttpServerResponse response;
    private final SimulatedAnswer answer;
    private final boolean includeUsage;
    private final boolean cut;
    private final Duration delay;
    private final List<ObjectNode> chunks = new ArrayList<>();
    private int next;
    private int sentPieces;

    SimulatedStream(Simulator simulator, HttpServerResponse response, SimulatedAnswer answer, JsonNode request, boolean cut, Duration delay) {
        this.simulator = simulator;
        this.response = response;
        this.answer = answer;
        this.includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
        this.cut = cut;
        this.delay = delay;
        chunks.add(delta(d -> d.put("role", "assistant").put("content", answer.toolCall() == null ? "" : null), null));
        if (answer.toolCall() != null) {
            chunks.add(delta(d -> {
                ObjectNode call = d.putArray("tool_calls").addObject();
                call.put("index", 0).put("id", answer.toolCall().path("id").asText()).put("type", "function");
                call.putObject("function").put("name", answer.toolCall().path("function").path("name").asText())
                        .put("arguments", answer.toolCall().path("function").path("arguments").asText());
            }, null));
        }
        for (String piece : answer.pieces()) chunks.add(delta(d -> d.put("content", piece), null));
        chunks.add(delta(d -> { }, answer.finishReason()));
    }

    void start() {
        response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache");
        writeNext();
    }

    private void writeNext() {
        if (cut && next >= Math.max(1, chunks.size() / 2)) {
            simulator.bill(answer.promptTokens(), partialCompletionTokens());
            response.reset();
            return;
        }
        if (next < chunks.size()) {
            ObjectNode chunk = chunks.get(next++);
            if (chunk.path("choices").path(0).path("delta").has("content") && next > 1) sentPieces++;
            response.write("data: " + chunk + "\n\n");
            simulator.after(next == 1 ? Duration.ZERO : delay, this::writeNext);
            return;
        }
        if (includeUsage) {
            ObjectNode usage = answer.header("chat.completion.chunk");
            usage.putArray("choices");
            usage.set("usage", answer.usage(answer.completionTokens()));
            response.write("data: " + usage + "\n\n");
        }
        simulator.bill(answer.promptTokens(), answer.completionTokens());
        simulator.served();
        response.end("data: [DONE]\n\n");
    }

    private int partialCompletionTokens() {
        Encoding encoding = Replies.encodingFor(answer.model());
        return Replies.count(String.join("", answer.pieces().subList(0, Math.min(sentPieces, answer.pieces().size()))), encoding);
    }

    private ObjectNode delta(java.util.function.Consumer<ObjectNode> fill, String finishReason) {
        ObjectNode chunk = answer.header("chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        fill.accept(choice.putObject("delta"));
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return chunk;
    }
}
