package io.sluice.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.ToolCall;
import io.sluice.domain.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class ReplayPublisherTest {
    /** Records what it is given; asks for nothing until told. */
    private static final class Recorder implements Flow.Subscriber<ChatChunk> {
        final List<ChatChunk> chunks = new ArrayList<>();
        Flow.Subscription subscription;
        boolean completed;
        Throwable error;
        long askOnEach;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(ChatChunk chunk) {
            chunks.add(chunk);
            if (askOnEach > 0) subscription.request(askOnEach);
        }

        @Override
        public void onError(Throwable e) {
            error = e;
        }

        @Override
        public void onComplete() {
            completed = true;
        }
    }

    private static ReplayPublisher answer() {
        ChatMessage message = new ChatMessage(io.sluice.domain.Role.ASSISTANT, "Your order ships today.", null,
                List.of(new ToolCall("call_1", "track", "{\"id\":7}")), null, List.of());
        return ReplayPublisher.of("chatcmpl-1", "gpt-4o-mini", 1, message, "tool_calls", new Usage(20, 9, 0));
    }

    @Test
    void itSendsOnlyWhatWasAskedForThenTheUsageAndCompletes() {
        Recorder r = new Recorder();
        answer().subscribe(r);
        assertThat(r.chunks).isEmpty();
        r.subscription.request(1);
        assertThat(r.chunks).hasSize(1);
        assertThat(r.chunks.getFirst().role()).isEqualTo(io.sluice.domain.Role.ASSISTANT);
        r.subscription.request(2);
        assertThat(r.chunks).hasSize(3);
        assertThat(r.chunks.get(1).contentDelta()).isEqualTo("Your order ships today.");
        assertThat(r.chunks.get(2).toolCallDeltas()).singleElement().satisfies(d -> assertThat(d.argumentsDelta()).isEqualTo("{\"id\":7}"));
        assertThat(r.completed).isFalse();
        r.subscription.request(Long.MAX_VALUE);
        assertThat(r.chunks.get(3).finishReason()).isEqualTo("tool_calls");
        assertThat(r.chunks.getLast().isUsageOnly()).isTrue();
        assertThat(r.completed).isTrue();
    }

    @Test
    void aSubscriberThatAsksFromWithinOnNextGetsEveryChunkInOrderOnce() {
        Recorder r = new Recorder();
        r.askOnEach = 1;
        answer().subscribe(r);
        r.subscription.request(1);
        assertThat(r.chunks).hasSize(5).doesNotHaveDuplicates();
        assertThat(r.completed).isTrue();
    }

    @Test
    void aCancelStopsItAndASecondSubscriberIsRefused() {
        ReplayPublisher replay = answer();
        Recorder r = new Recorder();
        replay.subscribe(r);
        r.subscription.request(1);
        r.subscription.cancel();
        r.subscription.request(10);
        assertThat(r.chunks).hasSize(1);
        assertThat(r.completed).isFalse();
        Recorder second = new Recorder();
        replay.subscribe(second);
        assertThat(second.error).isInstanceOf(IllegalStateException.class);
        Recorder bad = new Recorder();
        answer().subscribe(bad);
        bad.subscription.request(0);
        assertThat(bad.error).as("rule 3.9").isInstanceOf(IllegalArgumentException.class);
    }
}
