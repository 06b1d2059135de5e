package io.sluice.http.server;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ConversationId;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.sluice.ports.in.ServedBy;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.BiConsumer;

/**
 * Writes a chat stream to a client in its API's framing ({@link StreamFormat}: OpenAI's {@code data:} chunks and
 * {@code [DONE]}, or Anthropic's events). Nothing is sent before the first chunk, so a failure before it still gets a
 * proper HTTP error status; a failure after it ends the stream with an error event and an aborted body, never a clean
 * end. Asks for at most {@value #AHEAD} chunks ahead of the socket, and none while the socket's write queue
 * is full: a slow client slows the upstream read, it does not fill memory. The first chunk is written at once; the
 * chunks after it that arrive together (one upstream read often holds several) go out in one write, not a socket
 * write each. Signals may come from any thread; all writing happens on the request's context.
 */
final class SseWriter implements Flow.Subscriber<ChatChunk> {
    /** Chunks asked for and not yet written: enough for one upstream read's worth, few enough to hold little per stream. */
    private static final int AHEAD = 16;
    private final HttpServerResponse response;
    private final Context context;
    private final ChatApi api;
    private final StreamFormat format;
    private final Optional<ConversationId> conversationId;
    private final String requestedModel;
    private final CompletionStage<ServedBy> servedBy;
    private final ServerTiming.FirstChunk timing;
    private final BiConsumer<ChatChunk, Throwable> onEnd;
    private String servedModel;
    private Flow.Subscription subscription;
    private boolean started;
    private boolean closed;
    /** HTTP/2's INTERNAL_ERROR: a stream reset with NO_ERROR would read as a clean end to some clients. HTTP/1.1 closes the connection. */
    private static final long INTERNAL_ERROR = 2;
    private ChatChunk last;
    /** Chunks asked for that have not arrived yet. */
    private long outstanding;
    /** Frames after the first, waiting for the write that takes every frame that arrived with them. */
    private Buffer pending;

    /** {@code onEnd} receives the last chunk seen (may be null) and the failure, or null when the stream completed. */
    SseWriter(HttpServerResponse response, Context context, ChatApi api, StreamFormat format,
              Optional<ConversationId> conversationId, String requestedModel, CompletionStage<ServedBy> servedBy,
              ServerTiming.FirstChunk timing, BiConsumer<ChatChunk, Throwable> onEnd) {
        this.timing = timing;
        this.requestedModel = requestedModel;
        this.servedBy = servedBy;
        this.response = response;
        this.context = context;
        this.api = api;
        this.format = format;
        this.conversationId = conversationId;
        this.onEnd = onEnd;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        context.runOnContext(v -> {
            if (response.closed()) { // the client left while the call was admitted: no close event will come
                closed = true;
                subscription.cancel();
                return;
            }
            response.closeHandler(closedByClient -> {
                closed = true;
                subscription.cancel();
            });
            askMore();
        });
    }

    @Override
    public void onNext(ChatChunk chunk) {
        context.runOnContext(v -> write(chunk));
    }

    @Override
    public void onError(Throwable error) {
        context.runOnContext(v -> {
            onEnd.accept(last, error);
            if (closed) return;
            ErrorResponses.ApiError apiError = ErrorResponses.toApiError(error);
            if (!started) {
                api.sendError(response, apiError);
                return;
            }
            // an error event, then an aborted body: a chunked body ended cleanly reads as a complete answer to clients
            // that ignore the error event (LangChain4j, Spring AI), which would take half an answer for all of it
            String event = format.error(apiError);
            response.write(withPending(event)).onComplete(written -> response.reset(INTERNAL_ERROR));
        });
    }

    @Override
    public void onComplete() {
        context.runOnContext(v -> {
            onEnd.accept(last, null);
            if (closed) return;
            start();
            response.end(withPending(format.end()));
        });
    }

    private void write(ChatChunk upstreamChunk) {
        outstanding--;
        if (closed) return;
        boolean first = !started;
        if (first && upstreamChunk.upstreamRequestId() != null) {
            response.putHeader(ChatHandler.UPSTREAM_REQUEST_ID_HEADER, upstreamChunk.upstreamRequestId());
        }
        start();
        ChatChunk chunk = servedModel == null ? upstreamChunk : upstreamChunk.withModel(servedModel);
        if (chunk.usage() != null || last == null || !chunk.isUsageOnly()) last = merge(chunk);
        String frame = format.chunk(chunk);
        if (!frame.isEmpty()) {
            if (first) {
                response.write(frame); // the time to the first chunk is what a waiting client feels: it is never held
            } else if (pending == null) {
                pending = Buffer.buffer(frame);
                // runs after the tasks already queued on this event loop, the other chunks of the same read among them
                context.runOnContext(v -> flush());
            } else {
                pending.appendString(frame);
            }
        }
        if (response.writeQueueFull()) response.drainHandler(drained -> askMore());
        else askMore();
    }

    private void flush() {
        if (pending == null || closed) return;
        Buffer frames = pending;
        pending = null;
        response.write(frames);
    }

    /** {@code last} after the frames still pending, for the write that ends the stream. */
    private Buffer withPending(String last) {
        Buffer frames = pending == null ? Buffer.buffer(last) : pending.appendString(last);
        pending = null;
        return frames;
    }

    /** Tops the chunks asked for back up to {@link #AHEAD} once half have arrived, unless the socket is behind. */
    private void askMore() {
        if (closed || outstanding > AHEAD / 2 || response.writeQueueFull()) return;
        long more = AHEAD - outstanding;
        outstanding = AHEAD;
        subscription.request(more);
    }

    /** Keeps the newest chunk, but never forgets a usage seen earlier. */
    private ChatChunk merge(ChatChunk chunk) {
        if (chunk.usage() != null || last == null || last.usage() == null) return chunk;
        return chunk.withUsage(last.usage());
    }

    private void start() {
        if (started) return;
        started = true;
        response.setStatusCode(200).setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache");
        conversationId.ifPresent(id -> response.putHeader(ChatHandler.CONVERSATION_HEADER, id.value()));
        String serverTiming = timing.written();
        if (serverTiming != null) response.putHeader(ServerTiming.HEADER, serverTiming);
        ServedBy by = servedBy.toCompletableFuture().getNow(null);
        if (by != null) {
            ChatHandler.putServedBy(response, by);
            // a route or a fallback answered: the client sees the model that did, not the upstream's name for it
            if (!by.model().equals(requestedModel)) servedModel = by.model();
        }
    }
}
