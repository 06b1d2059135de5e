package io.sluice.engine.sla;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limit.WindowedLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import io.sluice.domain.error.GatewayBusyException;
import io.sluice.domain.limits.Priority;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One upstream endpoint's concurrency limit, found by Netflix's Vegas algorithm from the latency of its answers: it
 * compares each answer's time with the fastest seen (the upstream unloaded), estimates how many calls are queueing
 * upstream, and grows the limit while few are, shrinks it when more are; with a bounded queue of calls waiting for a
 * permit, a call that finds the queue full fails at once with {@link GatewayBusyException}. Thread-safe.
 * (Gradient2, tried first, compares with a long-term average instead, which under steady overload drifts up with
 * the load and let the limit grow to 6 times the upstream's knee.)
 */
public final class AdaptiveConcurrency {
    /** How each attempt ended, as the limit algorithm wants to know. */
    public enum Outcome { SUCCESS, DROPPED, IGNORED }

    private static final int WINDOW_SIZE = 10;

    private final String endpoint;
    private final SimpleLimiter<Void> limiter;
    private final int maxQueue;
    /** A call waiting for a permit, in its lane. */
    private record Waiting(CompletableFuture<Permit> permit, Priority priority, long queuedAt) {}

    private final java.util.ArrayList<Waiting> waiting = new java.util.ArrayList<>();

    public AdaptiveConcurrency(String endpoint, int initialLimit, int maxLimit, int maxQueue) {
        this.endpoint = endpoint;
        this.maxQueue = maxQueue;
        VegasLimit vegas = VegasLimit.newBuilder().initialLimit(initialLimit).maxConcurrency(maxLimit)
                // TCP Vegas' classic band: hold while 2 to 4 calls are estimated to queue upstream (the library's
                // default, 3 to 6 times log10 of the limit, settles further past the knee)
                .alpha(2).beta(4)
                // Vegas re-measures the unloaded latency every probeMultiplier × limit updates by taking the current
                // one; under steady overload that is a loaded latency, which hides the queue and lets the limit
                // climb, so probe rarely: the fastest windows seen stay the baseline
                .probeMultiplier(1_000)
                .build();
        this.limiter = SimpleLimiter.newBuilder().named(endpoint)
                // one answer's latency carries the gateway's own scheduling noise, which on a busy machine looks like
                // queueing; the average of a window of answers does not
                .limit(WindowedLimit.newBuilder().windowSize(WINDOW_SIZE)
                        .minWindowTime(250, TimeUnit.MILLISECONDS).maxWindowTime(1, TimeUnit.SECONDS).build(vegas))
                .build();
    }

    /** A permit to send one attempt; ends exactly once. */
    public final class Permit {
        private final Limiter.Listener listener;
        private boolean ended;

        Permit(Limiter.Listener listener) {
            this.listener = listener;
        }

        public void end(Outcome outcome) {
            synchronized (this) {
                if (ended) return;
                ended = true;
            }
            switch (outcome) {
                case SUCCESS -> listener.onSuccess();
                case DROPPED -> listener.onDropped();
                case IGNORED -> listener.onIgnore();
            }
            handOver();
        }
    }

    public CompletionStage<Permit> acquire() {
        return acquire(Priority.NORMAL);
    }

    /** A permit for a call of {@code priority}: freed room goes to the waiting call that stands highest ({@link Priority#standing}). */
    public CompletionStage<Permit> acquire(Priority priority) {
        synchronized (waiting) {
            waiting.removeIf(w -> w.permit.isDone()); // calls that gave up waiting
            if (waiting.isEmpty()) {
                Optional<Limiter.Listener> now = limiter.acquire(null);
                if (now.isPresent()) return CompletableFuture.completedFuture(new Permit(now.get()));
            }
            if (waiting.size() >= maxQueue) return CompletableFuture.failedFuture(new GatewayBusyException(endpoint, waiting.size()));
            CompletableFuture<Permit> later = new CompletableFuture<>();
            waiting.add(new Waiting(later, priority, System.nanoTime()));
            return later;
        }
    }

    /** Gives freed room to the waiting calls that stand highest, as long as the limit allows; skips calls that gave up waiting. */
    private void handOver() {
        while (true) {
            CompletableFuture<Permit> next;
            Limiter.Listener listener;
            synchronized (waiting) {
                waiting.removeIf(w -> w.permit.isDone());
                if (waiting.isEmpty()) return;
                Optional<Limiter.Listener> room = limiter.acquire(null);
                if (room.isEmpty()) return;
                next = waiting.remove(highest(System.nanoTime())).permit;
                listener = room.get();
            }
            if (!next.complete(new Permit(listener))) listener.onIgnore();
        }
    }

    /** The index of the waiting call that stands highest; the longest waiting among equals. */
    private int highest(long now) {
        int best = 0;
        double bestStanding = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < waiting.size(); i++) {
            double standing = waiting.get(i).priority.standing(waiting.get(i).queuedAt, now);
            if (standing > bestStanding) {
                best = i;
                bestStanding = standing;
            }
        }
        return best;
    }

    public int limit() {
        return limiter.getLimit();
    }

    public int inFlight() {
        return limiter.getInflight();
    }

    /** Calls waiting for a permit; calls that gave up waiting are dropped here too, so that the gauge never counts them. */
    public int queued() {
        synchronized (waiting) {
            waiting.removeIf(w -> w.permit.isDone());
            return waiting.size();
        }
    }
}
