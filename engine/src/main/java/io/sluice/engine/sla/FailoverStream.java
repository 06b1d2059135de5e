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

/**
 * A stream that fails over until its first chunk: each attempt is given the tier's time-to-first-chunk, and a
 * failure before the first chunk starts another attempt; after it, chunks and failures pass straight through.
 */
final class FailoverStream implements Flow.Subscription {
    private final ResilientCaller caller;
    private final CallAttempts call;
    private final CompletableFuture<ServedBy> servedBy;
    private final Flow.Subscriber<? super ChatChunk> downstream;
    private Flow.Subscription upstream;
    private long demand;
    private boolean started;
    private boolean done;

    FailoverStream(ResilientCaller caller, CallAttempts call, CompletableFuture<ServedBy> servedBy, Flow.Subscriber<? super ChatChunk> downstream) {
        this.caller = caller;
        this.call = call;
        this.servedBy = servedBy;
        this.downstream = downstream;
    }

    void start() {
        downstream.onSubscribe(this);
        next();
    }

    /** Starts one attempt: resolves to the first chunk's arrival or the attempt's failure. */
    private void next() {
        CompletableFuture<Void> firstChunk = new CompletableFuture<>();
        caller.attempt(call, firstChunk, choice -> {
            CompletableFuture<Void> arrived = new CompletableFuture<>();
            choice.key().provider().stream(call.candidates.get(choice.candidate()).request(), call.tier.connectTimeout())
                    .subscribe(new Attempt(arrived, choice));
            return TimeoutScheduler.within(arrived, call.tier.firstChunkTimeout().toMillis())
                    .exceptionallyCompose(e -> CompletableFuture.failedFuture(Failures.cause(e) instanceof TimeoutException
                            ? new UpstreamTimeoutException("No first chunk within " + call.tier.firstChunkTimeout().toMillis() + " ms", null)
                            : Failures.cause(e)));
        });
        firstChunk.whenComplete((ok, error) -> {
            if (error != null) {
                servedBy.completeExceptionally(Failures.cause(error));
                fail(Failures.cause(error));
            }
        });
    }

    private final class Attempt implements Flow.Subscriber<ChatChunk> {
        private final CompletableFuture<Void> arrived;
        private final CallAttempts.Choice choice;
        private Flow.Subscription subscription;
        private boolean live;

        Attempt(CompletableFuture<Void> arrived, CallAttempts.Choice choice) {
            this.arrived = arrived;
            this.choice = choice;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1); // the first chunk decides whether this attempt is the one
        }

        @Override
        public void onNext(ChatChunk chunk) {
            synchronized (FailoverStream.this) {
                if (!live) {
                    if (arrived.isDone()) { // this attempt already timed out and another was started
                        subscription.cancel();
                        return;
                    }
                    live = true;
                    started = true;
                    upstream = subscription;
                    servedBy.complete(call.servedBy(choice));
                    arrived.complete(null);
                    if (demand > 1) subscription.request(demand - 1);
                    demand = Math.max(0, demand - 1);
                } else if (demand > 0) {
                    demand--;
                }
            }
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

    @Override
    public void cancel() {
        Flow.Subscription target;
        synchronized (this) {
            done = true;
            target = upstream;
        }
        if (target != null) target.cancel();
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
