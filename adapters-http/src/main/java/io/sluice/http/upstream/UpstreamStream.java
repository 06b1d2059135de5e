package io.sluice.http.upstream;

import io.sluice.domain.ChatChunk;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.util.ArrayDeque;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A streamed chat completion as a {@link Flow.Publisher}. The HTTP request is sent on subscription; chunks are read
 * from the socket only as fast as the subscriber asks for them. Every signal is issued from one Vert.x context, so
 * the state needs no locks. The upstream's API is in {@link StreamEvents}; a stream that ends before its events say
 * it is finished is reported as cut, never as complete.
 */
public final class UpstreamStream implements Flow.Publisher<ChatChunk> {
    private final Vertx vertx;
    private final Supplier<Future<HttpClientRequest>> openRequest;
    private final Buffer body;
    private final StreamEvents events;
    private final ObjectMapper json;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final java.util.function.Consumer<io.vertx.core.MultiMap> onHead;

    /**
     * @param openRequest opens the HTTP request, on subscription
     * @param events      reads this stream's events; its own instance
     * @param json        reads error bodies
     */
    public UpstreamStream(Vertx vertx, Supplier<Future<HttpClientRequest>> openRequest, Buffer body, StreamEvents events, ObjectMapper json) {
        this(vertx, openRequest, body, events, json, headers -> { });
    }

    /** @param onHead told the answer's headers as they arrive, whatever its status */
    public UpstreamStream(Vertx vertx, Supplier<Future<HttpClientRequest>> openRequest, Buffer body, StreamEvents events, ObjectMapper json,
                          java.util.function.Consumer<io.vertx.core.MultiMap> onHead) {
        this.onHead = onHead;
        this.vertx = vertx;
        this.openRequest = openRequest;
        this.body = body;
        this.events = events;
        this.json = json;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ChatChunk> subscriber) {
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(new Flow.Subscription() {
                public void request(long n) {}
                public void cancel() {}
            });
            subscriber.onError(new IllegalStateException("an upstream stream accepts one subscriber"));
            return;
        }
        Context context = vertx.getOrCreateContext();
        Subscription subscription = new Subscription(subscriber, context);
        context.runOnContext(v -> subscription.start());
    }

    private final class Subscription implements Flow.Subscription {
        private final Flow.Subscriber<? super ChatChunk> subscriber;
        private final Context context;
        private final ArrayDeque<ChatChunk> queue = new ArrayDeque<>();
        private final SseDecoder decoder = new SseDecoder(this::onEvent);
        private HttpClientRequest request;
        private HttpClientResponse response;
        private long demand;
        private boolean fetching;
        private boolean ended;
        private boolean terminated;

        Subscription(Flow.Subscriber<? super ChatChunk> subscriber, Context context) {
            this.subscriber = subscriber;
            this.context = context;
        }

        void start() {
            subscriber.onSubscribe(this);
            openRequest.get().compose(req -> {
                request = req;
                if (terminated) { // cancelled while the connection was being had: the request is never sent
                    req.reset();
                    return Future.<HttpClientResponse>failedFuture(new java.util.concurrent.CancellationException());
                }
                return req.send(body);
            }).onComplete(ar -> {
                if (ar.failed()) fail(UpstreamErrors.fromThrowable(ar.cause()));
                else onResponse(ar.result());
            });
        }

        private void onResponse(HttpClientResponse resp) {
            onHead.accept(resp.headers());
            if (terminated) {
                resp.request().reset();
                return;
            }
            if (resp.statusCode() != 200) {
                resp.body().onComplete(b -> fail(UpstreamErrors.fromStatus(resp.statusCode(), resp.headers(),
                        b.succeeded() ? b.result().getBytes() : new byte[0], json)));
                return;
            }
            response = resp;
            resp.pause();
            resp.handler(buffer -> {
                fetching = false;
                decoder.feed(buffer.getBytes());
                drain();
            });
            resp.exceptionHandler(e -> fail(events.finished() ? UpstreamErrors.fromThrowable(e) : cutOrFailure(e)));
            resp.endHandler(v -> {
                ended = true;
                drain();
            });
            drain();
        }

        private Throwable cutOrFailure(Throwable e) {
            var mapped = UpstreamErrors.fromThrowable(e);
            return mapped instanceof io.sluice.domain.error.UpstreamTimeoutException ? mapped : UpstreamErrors.streamCut();
        }

        private boolean firstSent;

        private void onEvent(String data) {
            if (terminated || events.finished()) return;
            try {
                queue.addAll(events.read(data));
            } catch (io.sluice.domain.error.SluiceException reported) {
                fail(reported);
            } catch (Exception e) {
                fail(new io.sluice.domain.error.UpstreamUnavailableException(0,
                        "The upstream provider sent a malformed stream event", null, e));
            }
        }

        private void drain() {
            while (!terminated && demand > 0 && !queue.isEmpty()) {
                demand--;
                ChatChunk next = queue.poll();
                if (!firstSent && response != null) {
                    firstSent = true;
                    String upstreamId = UpstreamErrors.requestId(response.headers()); // its support asks for it
                    if (upstreamId != null) next = next.withUpstreamRequestId(upstreamId);
                }
                subscriber.onNext(next);
            }
            if (terminated || !queue.isEmpty()) return;
            if (ended) {
                terminated = true;
                if (events.finished()) subscriber.onComplete();
                else subscriber.onError(UpstreamErrors.streamCut());
            } else if (demand > 0 && response != null && !fetching) {
                fetching = true;
                response.fetch(1);
            }
        }

        private void fail(Throwable error) {
            if (terminated) return;
            terminated = true;
            queue.clear();
            if (request != null && !ended) request.reset();
            subscriber.onError(error);
        }

        @Override
        public void request(long n) {
            context.runOnContext(v -> {
                if (n <= 0) {
                    fail(new IllegalArgumentException("Flow.Subscription.request needs a positive number, got " + n));
                    return;
                }
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                drain();
            });
        }

        @Override
        public void cancel() {
            context.runOnContext(v -> {
                if (terminated) return;
                terminated = true;
                queue.clear();
                if (request != null && !ended) request.reset();
            });
        }
    }
}
