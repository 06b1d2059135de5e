package io.sluice.engine.internal;

import io.sluice.domain.ChatChunk;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * A stream that, when it fails before its first chunk, may go on as another: {@code instead} is asked with the error,
 * and the subscriber is given the other stream's chunks as if they were this one's (the demand it had asked for
 * carried over). After the first chunk, errors pass straight through. One subscriber.
 */
public final class SwitchBeforeFirstChunk implements Flow.Publisher<ChatChunk> {
    private final Flow.Publisher<ChatChunk> first;
    private final Function<Throwable, Optional<Flow.Publisher<ChatChunk>>> instead;

    public SwitchBeforeFirstChunk(Flow.Publisher<ChatChunk> first, Function<Throwable, Optional<Flow.Publisher<ChatChunk>>> instead) {
        this.first = first;
        this.instead = instead;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ChatChunk> downstream) {
        Relay relay = new Relay(downstream);
        first.subscribe(relay.new Leg(true));
    }

    /** The subscription the subscriber holds, passed to whichever stream is current. */
    private final class Relay implements Flow.Subscription {
        private final Flow.Subscriber<? super ChatChunk> downstream;
        private Flow.Subscription current;
        private long outstanding;
        private boolean started;
        private boolean cancelled;
        private boolean subscribed;

        Relay(Flow.Subscriber<? super ChatChunk> downstream) {
            this.downstream = downstream;
        }

        @Override
        public void request(long n) {
            Flow.Subscription target;
            synchronized (this) {
                outstanding = outstanding + n < 0 ? Long.MAX_VALUE : outstanding + n;
                target = current;
            }
            if (target != null) target.request(n);
        }

        @Override
        public void cancel() {
            Flow.Subscription target;
            synchronized (this) {
                cancelled = true;
                target = current;
            }
            if (target != null) target.cancel();
        }

        /** One stream the relay passes on: the first, or the one it switched to. */
        final class Leg implements Flow.Subscriber<ChatChunk> {
            private final boolean isFirst;

            Leg(boolean isFirst) {
                this.isFirst = isFirst;
            }

            @Override
            public void onSubscribe(Flow.Subscription s) {
                boolean announce;
                long carried;
                boolean gone;
                synchronized (Relay.this) {
                    current = s;
                    announce = !subscribed;
                    subscribed = true;
                    carried = isFirst ? 0 : outstanding;
                    gone = cancelled;
                }
                if (gone) {
                    s.cancel();
                    return;
                }
                if (announce) downstream.onSubscribe(Relay.this);
                if (carried > 0) s.request(carried);
            }

            @Override
            public void onNext(ChatChunk chunk) {
                synchronized (Relay.this) {
                    started = true;
                    if (outstanding != Long.MAX_VALUE) outstanding--;
                }
                downstream.onNext(chunk);
            }

            @Override
            public void onError(Throwable error) {
                boolean early;
                synchronized (Relay.this) {
                    early = isFirst && !started && !cancelled;
                }
                Optional<Flow.Publisher<ChatChunk>> other;
                try {
                    other = early ? instead.apply(error) : Optional.empty();
                } catch (RuntimeException e) {
                    other = Optional.empty(); // the subscriber must hear of the end either way
                }
                if (other.isPresent()) other.get().subscribe(new Leg(false));
                else downstream.onError(error);
            }

            @Override
            public void onComplete() {
                downstream.onComplete();
            }
        }
    }
}
