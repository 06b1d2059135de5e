package io.sluice.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class SwitchBeforeFirstChunkTest {
    /** A stream that sends {@code before} chunks, then fails. */
    private static Flow.Publisher<ChatChunk> failing(int before) {
        return subscriber -> {
            int[] sent = {0};
            boolean[] done = {false};
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    while (n-- > 0 && !done[0]) {
                        if (sent[0] < before) {
                            sent[0]++;
                            subscriber.onNext(new ChatChunk("c", "m", 0, null, "x", List.of(), null, null));
                        } else {
                            done[0] = true;
                            subscriber.onError(new IllegalStateException("upstream down"));
                        }
                    }
                }

                @Override
                public void cancel() {
                    done[0] = true;
                }
            });
        };
    }

    private static final class Recorder implements Flow.Subscriber<ChatChunk> {
        final List<String> contents = new ArrayList<>();
        Throwable error;
        boolean completed;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ChatChunk chunk) {
            contents.add(chunk.contentDelta());
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

    private static Optional<Flow.Publisher<ChatChunk>> reply(Throwable error) {
        return Optional.of(ReplayPublisher.of("r", "m", 0, ChatMessage.assistant("We are busy."), "stop", Usage.ZERO));
    }

    @Test
    void aFailureBeforeTheFirstChunkGoesOnAsTheOtherStreamWithTheDemandCarriedOver() {
        Recorder r = new Recorder();
        new SwitchBeforeFirstChunk(failing(0), SwitchBeforeFirstChunkTest::reply).subscribe(r);
        assertThat(r.error).isNull();
        assertThat(r.completed).isTrue();
        assertThat(r.contents).contains("We are busy.");
    }

    @Test
    void aFailureAfterTheFirstChunkOrOneNotCoveredPassesThrough() {
        Recorder after = new Recorder();
        new SwitchBeforeFirstChunk(failing(1), SwitchBeforeFirstChunkTest::reply).subscribe(after);
        assertThat(after.contents).containsExactly("x");
        assertThat(after.error).hasMessage("upstream down");
        Recorder uncovered = new Recorder();
        new SwitchBeforeFirstChunk(failing(0), e -> Optional.empty()).subscribe(uncovered);
        assertThat(uncovered.error).hasMessage("upstream down");
        assertThat(uncovered.completed).isFalse();
    }
}
