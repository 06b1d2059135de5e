package io.sluice.engine.sla;

import dev.failsafe.CircuitBreaker;
import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.error.Failures;
import io.sluice.domain.error.NoUpstreamAvailableException;
import io.sluice.domain.error.RetriableException;
import io.sluice.domain.error.UpstreamTimeoutException;
import io.sluice.domain.error.UpstreamUnavailableException;
import io.sluice.domain.sla.FailureClass;
import io.sluice.domain.sla.RetrySettings;
import io.sluice.domain.sla.SlaTier;
import io.sluice.ports.out.UpstreamEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Sends a call to one of the endpoints that serve its model, and keeps trying within the tier's deadline: the retry
 * table ({@link FailureClass}) says whether and when; each attempt goes to an endpoint whose circuit is not open,
 * preferring one that has not failed this call, weighted, with a key that is neither cooling down, disabled nor over
 * its budget. A stream is retried only until its first chunk. Thread-safe.
 */
public final class ResilientCaller {
    private static final System.Logger LOG = System.getLogger(ResilientCaller.class.getName());
    /** The shortest wait before looking again for a free endpoint. */
    private static final Duration MIN_POLL = Duration.ofMillis(20);

    private final Circuits circuits;
    private final RetrySettings retries;
    private final UpstreamEvents events;

    public ResilientCaller(Circuits circuits, RetrySettings retries) {
        this(circuits, retries, UpstreamEvents.NONE);
    }

    public ResilientCaller(Circuits circuits, RetrySettings retries, UpstreamEvents events) {
        this.circuits = circuits;
        this.retries = retries;
        this.events = events;
    }

    /** What one attempt uses. */
    record Choice(Endpoint endpoint, UpstreamKey key, CircuitBreaker<Object> circuit) {}

    /** One call's progress through its attempts. */
    private final class Call {
        final String model;
        final List<Endpoint> endpoints;
        final long deadline;
        final SlaTier tier;
        final Set<String> failedEndpoints = new HashSet<>();
        int attempts;
        Throwable last;

        Call(String model, List<Endpoint> endpoints, SlaTier tier) {
            this.model = model;
            this.endpoints = endpoints;
            this.tier = tier;
            this.deadline = System.nanoTime() + tier.deadline().toNanos();
        }

        long remainingMillis() {
            return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        }

        /** An endpoint and key for the next attempt, or null when none may be used now. */
        Choice choose() {
            long now = System.nanoTime();
            List<Endpoint> open = new ArrayList<>();
            for (Endpoint e : endpoints) if (!failedEndpoints.contains(e.name())) open.add(e);
            if (open.isEmpty()) open.addAll(endpoints);
            for (Endpoint endpoint : weightedOrder(open)) {
                if (endpoint.readyAt(now) > now) continue;   // no key free: do not take a circuit permit for nothing
                CircuitBreaker<Object> circuit = circuits.of(model, endpoint.name());
                if (!circuit.tryAcquirePermit()) continue;
                UpstreamKey key = endpoint.acquireKey(now);
                if (key != null) return new Choice(endpoint, key, circuit);
                circuit.recordSuccess(); // a key was taken by another call meanwhile: hand the permit back (rare)
            }
            return null;
        }

        /** When some key of an endpoint whose circuit is not open may be used again. */
        long readyAt() {
            long now = System.nanoTime();
            long ready = Long.MAX_VALUE;
            for (Endpoint e : endpoints) if (!circuits.of(model, e.name()).isOpen()) ready = Math.min(ready, e.readyAt(now));
            return ready;
        }

        /** The last upstream failure when there was one worth reporting, else why nothing could be tried. */
        Throwable giveUp(String why) {
            if (last != null && FailureClass.of(last) != FailureClass.SWITCH_KEY) return last;
            return new NoUpstreamAvailableException(why);
        }
    }

    public CompletionStage<ChatResponse> complete(String model, List<Endpoint> endpoints, ChatRequest request, SlaTier tier) {
        Call call = new Call(model, endpoints, tier);
        CompletableFuture<ChatResponse> result = new CompletableFuture<>();
        attempt(call, result, choice -> choice.key().provider().complete(request));
        return result;
    }

    /** Runs attempts until one succeeds, the retry table says stop, or the deadline would pass. */
    private <T> void attempt(Call call, CompletableFuture<T> result, Function<Choice, CompletionStage<T>> send) {
        if (call.remainingMillis() <= 0) {
            result.completeExceptionally(call.last != null ? call.last : deadlineExceeded(call));
            return;
        }
        Choice choice = call.choose();
        if (choice == null) {
            long wait = call.readyAt() - System.nanoTime();
            if (call.readyAt() == Long.MAX_VALUE || TimeUnit.NANOSECONDS.toMillis(wait) >= call.remainingMillis()) {
                result.completeExceptionally(call.giveUp("No upstream endpoint of model '" + call.model + "' can take a request now"));
                return;
            }
            // never poll again at once: half-open circuits may be out of permits while keys are free
            later(Duration.ofNanos(Math.max(MIN_POLL.toNanos(), wait)), () -> attempt(call, result, send));
            return;
        }
        call.attempts++;
        send.apply(choice).toCompletableFuture().orTimeout(call.remainingMillis(), TimeUnit.MILLISECONDS).whenComplete((value, error) -> {
            if (error == null) {
                choice.circuit().recordSuccess();
                result.complete(value);
                return;
            }
            Throwable failure = unwrap(error);
            if (failure instanceof TimeoutException) {
                choice.circuit().recordFailure();
                result.completeExceptionally(deadlineExceeded(call));
                return;
            }
            Duration delay = onFailure(call, choice, failure);
            if (delay == null || call.attempts >= retries.maxAttempts() || delay.toMillis() >= call.remainingMillis()) {
                result.completeExceptionally(failure);
                return;
            }
            events.retried(call.model, choice.endpoint().name(), FailureClass.of(failure).name().toLowerCase(java.util.Locale.ROOT));
            later(delay, () -> attempt(call, result, send));
        });
    }

    /** Records what a failure says about the endpoint and key; returns the delay before the next attempt, or null for none. */
    private Duration onFailure(Call call, Choice choice, Throwable failure) {
        call.last = failure;
        long now = System.nanoTime();
        return switch (FailureClass.of(failure)) {
            case NEVER -> {
                choice.circuit().recordSuccess(); // the endpoint answered properly: the request was at fault
                yield null;
            }
            case SWITCH_KEY -> {
                choice.circuit().recordSuccess();
                choice.key().disable();
                LOG.log(System.Logger.Level.ERROR, "upstream key " + choice.key().label() + " of endpoint " + choice.endpoint().name()
                        + " was refused and is disabled");
                yield Duration.ZERO;
            }
            case RETRY_LATER -> {
                Duration asked = failure instanceof RetriableException r ? r.retryAfter().orElse(null) : null;
                Duration pause = asked != null ? retries.retryAfter(asked) : retries.backoff(call.attempts, ThreadLocalRandom.current().nextDouble());
                if (failure instanceof UpstreamUnavailableException) {
                    choice.circuit().recordFailure();   // 503: the endpoint is overloaded
                    call.failedEndpoints.add(choice.endpoint().name());
                } else {
                    choice.circuit().recordSuccess();   // 429: this key is limited, the endpoint is fine
                }
                choice.key().coolFor(pause, now);
                yield Duration.ZERO;                    // another key may be free now; if none is, attempt() waits
            }
            case RETRY_NOW -> {
                choice.circuit().recordFailure();
                call.failedEndpoints.add(choice.endpoint().name());
                yield retries.backoff(call.attempts - 1, ThreadLocalRandom.current().nextDouble());
            }
        };
    }

    private static UpstreamTimeoutException deadlineExceeded(Call call) {
        return new UpstreamTimeoutException("The call did not complete within the '" + call.tier.name() + "' deadline of "
                + call.tier.deadline().toMillis() + " ms", null);
    }

    /** Endpoints in a random order weighted by their weights. */
    private static List<Endpoint> weightedOrder(List<Endpoint> endpoints) {
        List<Endpoint> pool = new ArrayList<>(endpoints);
        List<Endpoint> order = new ArrayList<>(pool.size());
        while (!pool.isEmpty()) {
            int total = 0;
            for (Endpoint e : pool) total += e.weight();
            int pick = ThreadLocalRandom.current().nextInt(total);
            for (int i = 0; i < pool.size(); i++) {
                pick -= pool.get(i).weight();
                if (pick < 0) {
                    order.add(pool.remove(i));
                    break;
                }
            }
        }
        return order;
    }

    private static void later(Duration delay, Runnable task) {
        if (delay.isZero() || delay.isNegative()) task.run();
        else CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS).execute(task);
    }

    static Throwable unwrap(Throwable t) {
        return Failures.cause(t);
    }

    /**
     * A stream that fails over until its first chunk: each attempt is given the tier's time-to-first-chunk, and a
     * failure before the first chunk starts another attempt; after it, chunks and failures pass straight through.
     */
    public Flow.Publisher<ChatChunk> stream(String model, List<Endpoint> endpoints, ChatRequest request, SlaTier tier) {
        return subscriber -> new FailoverStream(new Call(model, endpoints, tier), request, subscriber).start();
    }

    private final class FailoverStream implements Flow.Subscription {
        private final Call call;
        private final ChatRequest request;
        private final Flow.Subscriber<? super ChatChunk> downstream;
        private Flow.Subscription upstream;
        private long demand;
        private boolean started;
        private boolean done;

        FailoverStream(Call call, ChatRequest request, Flow.Subscriber<? super ChatChunk> downstream) {
            this.call = call;
            this.request = request;
            this.downstream = downstream;
        }

        void start() {
            downstream.onSubscribe(this);
            next();
        }

        /** Starts one attempt: resolves to the first chunk's arrival or the attempt's failure. */
        private void next() {
            CompletableFuture<Void> firstChunk = new CompletableFuture<>();
            attempt(call, firstChunk, choice -> {
                CompletableFuture<Void> arrived = new CompletableFuture<>();
                choice.key().provider().stream(request).subscribe(new Attempt(arrived));
                return arrived.orTimeout(call.tier.firstChunkTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .exceptionallyCompose(e -> CompletableFuture.failedFuture(unwrap(e) instanceof TimeoutException
                                ? new UpstreamTimeoutException("No first chunk within " + call.tier.firstChunkTimeout().toMillis() + " ms", null)
                                : unwrap(e)));
            });
            firstChunk.whenComplete((ok, error) -> {
                if (error != null) fail(unwrap(error));
            });
        }

        private final class Attempt implements Flow.Subscriber<ChatChunk> {
            private final CompletableFuture<Void> arrived;
            private Flow.Subscription subscription;
            private boolean live;

            Attempt(CompletableFuture<Void> arrived) {
                this.arrived = arrived;
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
                        arrived.complete(null);
                        if (demand > 1) subscription.request(demand - 1);
                        demand = Math.max(0, demand - 1);
                    } else if (demand > 0) {
                        demand--;
                    }
                }
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
}
