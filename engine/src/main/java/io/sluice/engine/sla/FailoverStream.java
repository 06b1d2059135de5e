package io.sluice.engine.sla;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.error.Failures;
import io.sluice.domain.error.UpstreamTimeoutException;
import io.sluice.domain.error.UpstreamUnavailableException;
import io.sluice.engine.internal.TimeoutScheduler;
import io.sluice.ports.in.ServedBy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stream that fails over until its first chunk: each attempt is given the tier's time-to-first-chunk, and a
 * failure before the first chunk starts another attempt; after it, chunks and failures pass straight through. Under a
 * tier's {@code fallback-after}, a stream with no first chunk by then has the next model of its chain started
 * alongside (under the same deadline): the first side to send a chunk is the stream, and the other is called off
 * (its attempt in flight, which consumed its prompt upstream, is named in {@code abandoned}). The stream fails only
 * once both sides have failed, with the first side's failure.
 */
final class FailoverStream implements Flow.Subscription {
    private final ResilientCaller caller;
    private final CallAttempts call;
    private final CompletableFuture<ServedBy> servedBy;
    private final AtomicReference<ServedBy> abandoned;
    private final Flow.Subscriber<? super ChatChunk> downstream;
    private Flow.Subscription upstream;
    private final Sides sides;
    private long demand;
    private boolean started;
    private boolean done;

    FailoverStream(ResilientCaller caller, CallAttempts call, CompletableFuture<ServedBy> servedBy, AtomicReference<ServedBy> abandoned,
                   Flow.Subscriber<? super ChatChunk> downstream) {
        this.caller = caller;
        this.call = call;
        this.servedBy = servedBy;
        this.abandoned = abandoned;
        this.downstream = downstream;
        this.sides = new Sides(call);
    }

    void start() {
        downstream.onSubscribe(this);
        run(call);
        call.tier.fallbackAfter().filter(after -> call.candidates.size() > 1).ifPresent(after -> TimeoutScheduler.later(after, this::hedge));
    }

    /** Starts the next model alongside, unless the stream has begun or ended, or stands at its chain's last model. */
    private void hedge() {
        CallAttempts next = sides.startSecond();
        if (next == null) return;
        caller.events().retried(next.model(), "-", "fallback_after");
        run(next);
    }

    /** Runs one side's attempts: resolves to its first chunk's arrival or to its last attempt's failure. */
    private void run(CallAttempts side) {
        CompletableFuture<Void> firstChunk = new CompletableFuture<>();
        caller.attempt(side, firstChunk, choice -> {
            CompletableFuture<Void> arrived = new CompletableFuture<>();
            Attempt attempt = new Attempt(arrived, choice, side);
            if (!side.sent(choice, attempt::callOff)) attempt.callOff();
            choice.key().provider().stream(side.candidates.get(choice.candidate()).request(), side.tier.connectTimeout()).subscribe(attempt);
            return TimeoutScheduler.within(arrived, side.tier.firstChunkTimeout().toMillis())
                    .exceptionallyCompose(e -> CompletableFuture.failedFuture(Failures.cause(e) instanceof TimeoutException
                            ? new UpstreamTimeoutException("No first chunk within " + side.tier.firstChunkTimeout().toMillis() + " ms", null)
                            : Failures.cause(e)));
        });
        firstChunk.whenComplete((ok, error) -> {
            if (error != null) sideFailed(side, Failures.cause(error));
        });
    }

    private void sideFailed(CallAttempts side, Throwable error) {
        Throwable reported = sides.failed(side, error);
        if (reported == null) return;
        servedBy.completeExceptionally(reported);
        fail(reported);
    }

    private final class Attempt implements Flow.Subscriber<ChatChunk> {
        private final CompletableFuture<Void> arrived;
        private final CallAttempts.Choice choice;
        private final CallAttempts side;
        private Flow.Subscription subscription;
        private boolean calledOff;
        private boolean live;

        Attempt(CompletableFuture<Void> arrived, CallAttempts.Choice choice, CallAttempts side) {
            this.arrived = arrived;
            this.choice = choice;
            this.side = side;
        }

        /**
         * This attempt is called off (the other side won, the client left, the deadline passed): it ends and its upstream
         * request is cancelled, unless it has already become the stream.
         */
        void callOff() {
            Flow.Subscription s;
            synchronized (FailoverStream.this) {
                if (live) return;
                calledOff = true;
                s = subscription;
            }
            if (s != null) s.cancel();
            arrived.completeExceptionally(new java.util.concurrent.CancellationException("another model answered first"));
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            boolean off;
            synchronized (FailoverStream.this) {
                subscription = s;
                off = calledOff;
            }
            if (off) s.cancel();
            else s.request(1); // the first chunk decides whether this attempt is the one
        }

        @Override
        public void onNext(ChatChunk chunk) {
            CallAttempts other = null;
            synchronized (FailoverStream.this) {
                if (!live) {
                    // the client left, this attempt timed out and another was started, or the other side won
                    if (done || calledOff || arrived.isDone() || started || !sides.win(side)) {
                        subscription.cancel();
                        return;
                    }
                    live = true;
                    started = true;
                    upstream = subscription;
                    other = sides.loser();
                    servedBy.complete(side.servedBy(choice));
                    arrived.complete(null);
                    if (demand > 1) subscription.request(demand - 1);
                    demand = Math.max(0, demand - 1);
                } else if (demand > 0) {
                    demand--;
                }
            }
            if (other != null) abandoned.set(other.abandon(true));
            if (chunk.usage() != null) ResilientCaller.settle(choice, chunk.usage());
            downstream.onNext(chunk);
        }

        @Override
        public void onError(Throwable error) {
            if (live) fail(error);
            else arrived.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            if (live) finish();
            else arrived.completeExceptionally(new UpstreamUnavailableException(0, "The upstream stream ended before its first chunk", null, null));
        }
    }

    @Override
    public void request(long n) {
        Flow.Subscription target;
        synchronized (this) {
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            target = started ? upstream : null;
        }
        if (target != null) target.request(n);
    }

    /**
     * The client left. After the first chunk, the live stream is cancelled; before it, the attempts in flight (on both
     * sides, under a {@code fallback-after}) are called off, so that no upstream goes on generating for nobody.
     */
    @Override
    public void cancel() {
        Flow.Subscription target;
        synchronized (this) {
            done = true;
            target = upstream;
        }
        if (target != null) target.cancel();
        else for (CallAttempts side : sides.leave()) side.abandon(false);
    }

    private void fail(Throwable error) {
        synchronized (this) {
            if (done) return;
            done = true;
        }
        downstream.onError(error);
    }

    private void finish() {
        synchronized (this) {
            if (done) return;
            done = true;
        }
        downstream.onComplete();
    }
}
