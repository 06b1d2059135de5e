package io.sluice.engine.internal;

import io.sluice.domain.ChatChunk;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.BiFunction;

/**
 * Passes an upstream stream through unchanged while rebuilding its message, and runs {@code onEnd} before it tells
 * the subscriber that the stream ended, so that a client that sees the end of a stream can rely on the turn being
 * stored. {@code onEnd} receives the accumulated stream and the upstream's error (null when it completed).
 */
public final class RecordingPublisher implements Flow.Publisher<ChatChunk> {
    private final Flow.Publisher<ChatChunk> upstream;
    private final BiFunction<StreamAccumulator, Throwable, CompletionStage<?>> onEnd;

    public RecordingPublisher(Flow.Publisher<ChatChunk> upstream,
                              BiFunction<StreamAccumulator, Throwable, CompletionStage<?>> onEnd) {
        this.upstream = upstream;
        this.onEnd = onEnd;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ChatChunk> downstream) {
        StreamAccumulator accumulator = new StreamAccumulator();
        upstream.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                downstream.onSubscribe(subscription);
            }

            @Override
            public void onNext(ChatChunk chunk) {
                accumulator.add(chunk);
                downstream.onNext(chunk);
            }

            @Override
            public void onError(Throwable error) {
                end(error);
            }

            @Override
            public void onComplete() {
                end(null);
            }

            private void end(Throwable upstreamError) {
                CompletionStage<?> recorded;
                try {
                    recorded = onEnd.apply(accumulator, upstreamError);
                } catch (RuntimeException e) {
                    recorded = java.util.concurrent.CompletableFuture.failedFuture(e); // the client must hear the end either way
                }
                recorded.whenComplete((ignored, storeError) -> {
                    if (upstreamError != null) downstream.onError(upstreamError);
                    else if (storeError != null) downstream.onError(storeError);
                    else downstream.onComplete();
                });
            }
        });
    }
}
