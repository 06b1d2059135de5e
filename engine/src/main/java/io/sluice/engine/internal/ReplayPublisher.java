package io.sluice.engine.internal;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.Role;
import io.sluice.domain.ToolCall;
import io.sluice.domain.ToolCallDelta;
import io.sluice.domain.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A whole answer replayed as a stream, as an upstream would have sent it: the role with the content, the tool calls,
 * the finish reason, then the usage chunk. Emits only what the subscriber requested, on the requesting thread; one
 * subscriber. Thread-safe.
 */
public final class ReplayPublisher implements Flow.Publisher<ChatChunk> {
    private final List<ChatChunk> chunks;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    public ReplayPublisher(List<ChatChunk> chunks) {
        this.chunks = List.copyOf(chunks);
    }

    /** The chunks of {@code message}, named {@code id} and {@code model}. */
    public static ReplayPublisher of(String id, String model, long created, ChatMessage message, String finishReason, Usage usage) {
        List<ChatChunk> chunks = new ArrayList<>();
        chunks.add(new ChatChunk(id, model, created, Role.ASSISTANT, "", List.of(), null, null));
        if (message.content() != null && !message.content().isEmpty()) chunks.add(new ChatChunk(id, model, created, null, message.content(), List.of(), null, null));
        List<ToolCallDelta> calls = new ArrayList<>();
        for (int i = 0; i < message.toolCalls().size(); i++) {
            ToolCall call = message.toolCalls().get(i);
            calls.add(new ToolCallDelta(i, call.id(), call.name(), call.argumentsJson()));
        }
        if (!calls.isEmpty()) chunks.add(new ChatChunk(id, model, created, null, null, calls, null, null));
        chunks.add(new ChatChunk(id, model, created, null, null, List.of(), finishReason == null ? "stop" : finishReason, null));
        chunks.add(new ChatChunk(id, model, created, null, null, List.of(), null, usage));
        return new ReplayPublisher(chunks);
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ChatChunk> subscriber) {
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(new Flow.Subscription() {
                public void request(long n) {}

                public void cancel() {}
            });
            subscriber.onError(new IllegalStateException("a replayed stream has one subscriber"));
            return;
        }
        AtomicLong demand = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    if (done.compareAndSet(false, true)) subscriber.onError(new IllegalArgumentException("request(" + n + ")"));
                    return;
                }
                // the thread that takes demand from zero emits; one that adds to it while another emits only adds
                if (demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b) > 0) return;
                long emitted = 0;
                while (true) {
                    long granted = demand.get();
                    while (emitted < granted && next.get() < chunks.size()) {
                        if (done.get()) return;
                        subscriber.onNext(chunks.get(next.getAndIncrement()));
                        emitted++;
                    }
                    if (next.get() >= chunks.size()) { // completion needs no demand
                        if (done.compareAndSet(false, true)) subscriber.onComplete();
                        return;
                    }
                    if (demand.addAndGet(-emitted) == 0) return;
                    emitted = 0;
                }
            }

            @Override
            public void cancel() {
                done.set(true);
            }
        });
    }
}
