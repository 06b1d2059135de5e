package io.sluice.testkit.simulator;

import com.knuddels.jtokkit.api.Encoding;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;

/**
 * Writes one simulated answer as a server-sent event stream, in a {@link Dialect}'s frames, one frame per delay;
 * a cut stream is reset halfway, after billing what it sent.
 */
final class SimulatedStream {
    private final Simulator simulator;
    private final HttpServerResponse response;
    private final SimulatedAnswer answer;
    private final List<Dialect.Frame> frames;
    private final String end;
    private final boolean cut;
    private final Duration delay;
    private int next;
    private int sentPieces;

    SimulatedStream(Simulator simulator, HttpServerResponse response, SimulatedAnswer answer, List<Dialect.Frame> frames, String end,
                    boolean cut, Duration delay) {
        this.simulator = simulator;
        this.response = response;
        this.answer = answer;
        this.frames = List.copyOf(frames);
        this.end = end;
        this.cut = cut;
        this.delay = delay;
    }

    private Future<Void> lastWrite = Future.succeededFuture();

    void start() {
        response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache");
        writeNext();
    }

    private void writeNext() {
        if (cut && next >= Math.max(1, frames.size() / 2)) {
            simulator.bill(answer.promptTokens(), partialCompletionTokens());
            // once what was sent is on the wire: over HTTP/2 a reset drops the stream's frames still queued
            lastWrite.onComplete(written -> response.reset());
            return;
        }
        if (next < frames.size()) {
            Dialect.Frame frame = frames.get(next++);
            if (frame.piece() != null) sentPieces++;
            lastWrite = response.write(frame.text());
            simulator.after(next == 1 ? Duration.ZERO : delay, this::writeNext);
            return;
        }
        simulator.bill(answer.promptTokens(), answer.completionTokens());
        simulator.served();
        response.end(end);
    }

    private int partialCompletionTokens() {
        Encoding encoding = Replies.encodingFor(answer.model());
        return Replies.count(String.join("", answer.pieces().subList(0, Math.min(sentPieces, answer.pieces().size()))), encoding);
    }
}
