package io.sluice.engine.internal;

import io.sluice.domain.ChatChunk;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Passes an upstream stream through unchanged while rebuilding the message its subscriber was given, and tells
 * {@link StreamEnd} how the stream ended, once: completed, cut by the upstream (its error), or cancelled by the
 * subscriber (the client went away), whichever comes first. On completion or a cut, {@code ended} runs before the
 * subscriber hears of it, so that a client that sees the end of a stream can rely on the turn being stored; on a
 * cancel, the upstream is cancelled first, then {@code ended} runs.
 */
public final class RecordingPublisher implements Flow.Publisher<ChatChunk> {
    /** How a stream ended. */
    public enum Ending { COMPLETED, CUT, CANCELLED }

    /** Told once how the stream ended, with what its subscriber was given and the upstream's error (null unless cut). */
    @FunctionalInterface
    public interface StreamEnd {
        CompletionStage<?> ended(StreamAccumulator delivered, Ending ending, Throwable error);
    }

    private final Flow.Publisher<ChatChunk> upstream;
    private final StreamEnd onEnd;

    public RecordingPublisher(Flow.Publisher<ChatChunk> upstream, StreamEnd onEnd) {
        this.upstream = upstream;
        this.onEnd = onEnd;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ChatChunk> downstream) {
        StreamAccumulator accumulator = new StreamAccumulator();
        AtomicBoolean ended = new AtomicBoolean();
        upstream.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                downstream.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                        subscription.request(n);
                    }

                    @Override
                    public void cancel() {
                        subscription.cancel();
                        if (ended.compareAndSet(false, true)) run(Ending.CANCELLED, null);
                    }
                });
            }

            @Override
            public void onNext(ChatChunk chunk) {
                if (ended.get()) return; // cancelled: the client is not given it, so it is not billed as delivered
                synchronized (accumulator) {
                    accumulator.add(chunk);
                }
                downstream.onNext(chunk);
            }

            @Override
            public void onError(Throwable error) {
                if (!ended.compareAndSet(false, true)) return;
                run(Ending.CUT, error).whenComplete((ignored, storeError) -> downstream.onError(error));
            }

            @Override
            public void onComplete() {
                if (!ended.compareAndSet(false, true)) return;
                run(Ending.COMPLETED, null).whenComplete((ignored, storeError) -> {
                    if (storeError != null) downstream.onError(storeError);
                    else downstream.onComplete();
                });
            }

            private CompletionStage<?> run(Ending ending, Throwable error) {
                try {
                    synchronized (accumulator) {
                        return onEnd.ended(accumulator, ending, error);
                    }
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e); // the client must hear the end either way
                }
            }
        });
    }
}
