package io.sluice.engine.sla;

import dev.failsafe.CircuitBreaker;
import io.sluice.domain.error.NoUpstreamAvailableException;
import io.sluice.domain.sla.FailureClass;
import io.sluice.domain.sla.SlaTier;
import io.sluice.engine.sla.ResilientCaller.Candidate;
import io.sluice.ports.in.ServedBy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One call's progress through its attempts: where in its chain it stands, which endpoints failed it, how many
 * attempts it made, its deadline; and the choice of the next attempt's endpoint and key. Used by one call at a time.
 */
final class CallAttempts {
    /** What one attempt uses; {@code tokens} is what it took from the key's token budget. */
    record Choice(int candidate, Endpoint endpoint, UpstreamKey key, CircuitBreaker<Object> circuit, long tokens, long startedAt) {}


    private static final System.Logger LOG = System.getLogger(CallAttempts.class.getName());

    private final Circuits circuits;
    final List<Candidate> candidates;
    final long deadline;
    final SlaTier tier;
    final LongSupplier tokenEstimate;
    final Set<String> failedEndpoints = new HashSet<>();
    /** The circuits this call's failures were counted against already: one call is one failure per circuit, whatever its retries. */
    private final Set<String> failuresCounted = new HashSet<>();
    private final boolean clientRetry;
    long estimate = -1;
    /** The call's lane where calls wait for a key; when it first waited ({@link System#nanoTime()}), or -1. */
    io.sluice.domain.limits.Priority priority = io.sluice.domain.limits.Priority.NORMAL;
    /** The call's span: each attempt is a span under it. */
    io.sluice.ports.out.TraceSpan span = io.sluice.ports.out.TraceSpan.NONE;
    long queuedAt = -1;
    volatile int current;
    /** Where this call's chain ends for it: before the model a fallback started alongside it stands at. */
    private volatile int end;
    int attempts;
    Throwable last;
    /** The attempt waiting for a permit or sent and not yet answered, and how to call it off; null between attempts. */
    private Runnable callOff;
    /** The last attempt sent: until the call settles, it may have consumed its prompt upstream. */
    private Choice lastSent;
    private boolean abandoned;
    private boolean slow;

    CallAttempts(Circuits circuits, List<Candidate> candidates, SlaTier tier, LongSupplier tokenEstimate, boolean clientRetry) {
        this(circuits, candidates, tier, tokenEstimate, clientRetry, System.nanoTime() + tier.deadline().toNanos());
    }

    private CallAttempts(Circuits circuits, List<Candidate> candidates, SlaTier tier, LongSupplier tokenEstimate, boolean clientRetry, long deadline) {
        this.circuits = circuits;
        this.clientRetry = clientRetry;
        if (candidates.isEmpty()) throw new IllegalArgumentException("a call needs at least one model");
        this.candidates = List.copyOf(candidates);
        this.tier = tier;
        this.tokenEstimate = tokenEstimate;
        this.deadline = deadline;
        this.end = this.candidates.size();
    }

    /**
     * The same call's attempts from the model after the one it stands at, under the same deadline: the fallback a tier's
     * {@code fallback-after} starts alongside a slow model. Null when it stands at its chain's last model.
     */
    CallAttempts nextModel() {
        int from = current + 1;
        if (from >= end) return null;
        CallAttempts next = new CallAttempts(circuits, candidates, tier, tokenEstimate, clientRetry, deadline);
        next.current = from;
        next.priority = priority;
        next.span = span;
        end = from; // from now on the fallback serves the rest of the chain: this side does not follow it there
        return next;
    }

    /** Whether this call and {@code other} may be served by a same endpoint (from where each stands in its chain). */
    boolean sharesEndpointWith(CallAttempts other) {
        for (int i = current; i < candidates.size(); i++) {
            for (Endpoint mine : candidates.get(i).endpoints()) {
                for (int j = other.current; j < other.candidates.size(); j++) {
                    if (other.candidates.get(j).endpoints().contains(mine)) return true;
                }
            }
        }
        return false;
    }

    /** An attempt waits for its endpoint's concurrency permit: until it gets one, {@link #abandon} takes it out of the queue. */
    synchronized boolean waiting(Runnable leaveQueue) {
        if (abandoned) return false;
        this.callOff = leaveQueue;
        return true;
    }

    /** An attempt was sent: until it is answered, {@link #abandon} calls it off with {@code callOff}. */
    synchronized boolean sent(Choice choice, Runnable callOff) {
        if (abandoned) return false;
        this.lastSent = choice;
        this.callOff = callOff;
        return true;
    }

    /** Whether {@code choice} was sent (not only queued for a permit). */
    synchronized boolean wasSent(Choice choice) {
        return lastSent == choice;
    }

    /**
     * The attempt in flight was answered ({@code ok}) or failed (then it consumed nothing that is billed); returns how it
     * could have been called off, so that one left running past the deadline can be reset.
     */
    synchronized Runnable answered(boolean ok) {
        Runnable off = callOff;
        callOff = null;
        if (!ok) lastSent = null;
        return off;
    }

    /**
     * Stops this call's attempts for good: no new one starts, and the one in flight is called off. {@code slow}: another
     * side answered first (its endpoint was slow, not failed), rather than the client leaving. Returns who served the
     * last attempt sent, which may have consumed its prompt upstream and is billed for it; null when none was sent.
     */
    ServedBy abandon(boolean slow) {
        Choice sent;
        Runnable off;
        synchronized (this) {
            if (abandoned) return null;
            abandoned = true;
            this.slow = slow;
            sent = lastSent;
            off = callOff;
        }
        if (off != null) off.run();
        return sent == null ? null : servedBy(sent);
    }

    /** Whether the call was abandoned because another side answered first (so its endpoint was slow, as far as it is known). */
    synchronized boolean abandonedAsSlow() {
        return abandoned && slow;
    }

    synchronized boolean isAbandoned() {
        return abandoned;
    }

    long remainingMillis() {
        return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }

    String model() {
        return candidates.get(current).model();
    }

    /** The tokens a request takes from a key's budget: estimated once, and only when some key counts tokens. */
    long tokensFor(Endpoint endpoint) {
        if (!endpoint.limitsTokens()) return 0;
        if (estimate < 0) estimate = tokenEstimate.getAsLong();
        return estimate;
    }

    boolean failed(int candidate, Endpoint endpoint) {
        return failedEndpoints.contains(candidate + "/" + endpoint.name());
    }

    /**
     * Counts an attempt's failure against its circuit: once per call and circuit, so that a call's own retries of an
     * endpoint do not open it for every other call, and not at all when the call is a client's retry of one counted
     * already. A half-open circuit's trial always counts: its permit comes back only with a result.
     */
    void recordFailure(Choice choice) {
        CircuitBreaker<Object> circuit = choice.circuit();
        if (circuit.isHalfOpen() || !clientRetry && failuresCounted.add(choice.candidate() + "/" + choice.endpoint().name())) {
            circuit.recordFailure();
        }
    }

    void markFailed(Choice choice) {
        failedEndpoints.add(choice.candidate() + "/" + choice.endpoint().name());
    }

    /** Whether some endpoint from the current model on has not failed this call: the next attempt need not wait. */
    boolean hasUntried() {
        for (int i = current; i < end; i++) {
            for (Endpoint e : candidates.get(i).endpoints()) if (!failed(i, e)) return true;
        }
        return false;
    }

    /** An endpoint and key for the next attempt, or null when none may be used now. */
    Choice choose() {
        long now = System.nanoTime();
        for (boolean untriedOnly : new boolean[] {true, false}) {
            for (int i = current; i < end; i++) {
                Choice choice = chooseIn(i, untriedOnly, now);
                if (choice == null) continue;
                if (i != current) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "falling from model " + model() + " to " + candidates.get(choice.candidate()).model());
                    current = i;
                }
                return choice;
            }
        }
        return null;
    }

    private Choice chooseIn(int candidate, boolean untriedOnly, long now) {
        Candidate c = candidates.get(candidate);
        List<Endpoint> pool = new ArrayList<>();
        for (Endpoint e : c.endpoints()) if (!untriedOnly || !failed(candidate, e)) pool.add(e);
        for (Endpoint endpoint : preferredOrder(c.model(), pool)) {
            long tokens = tokensFor(endpoint);
            // the key first: a half-open circuit's trial permit comes back only with a result, so it is taken only once
            // the attempt is sure to be sent; a key's budget can simply be handed back
            UpstreamKey key = endpoint.acquireKey(now, tokens, upstreamModel(candidate));
            if (key == null) continue;
            CircuitBreaker<Object> circuit = circuits.of(c.model(), endpoint.name());
            if (circuit.tryAcquirePermit()) return new Choice(candidate, endpoint, key, circuit, tokens, now);
            key.giveBack(now, tokens);
        }
        return null;
    }

    /** The upstream's name of a candidate's model, which its rate limits are kept by; null for a call that is not a chat. */
    private String upstreamModel(int candidate) {
        var request = candidates.get(candidate).request();
        return request == null ? null : request.model();
    }

    /** When some key of an endpoint whose circuit is not open may be used again, from the current model on. */
    long readyAt() {
        long now = System.nanoTime();
        long ready = Long.MAX_VALUE;
        for (int i = current; i < end; i++) {
            for (Endpoint e : candidates.get(i).endpoints()) {
                if (!circuits.of(candidates.get(i).model(), e.name()).isOpen()) ready = Math.min(ready, e.readyAt(now, tokensFor(e), upstreamModel(i)));
            }
        }
        return ready;
    }

    ServedBy servedBy(Choice choice) {
        return new ServedBy(candidates.get(choice.candidate()).model(), choice.endpoint().name(), choice.candidate());
    }

    /** The last upstream failure when there was one worth reporting, else why nothing could be tried. */
    Throwable giveUp(String why) {
        if (last != null && FailureClass.of(last) != FailureClass.SWITCH_KEY) return last;
        return new NoUpstreamAvailableException(why);
    }

    /** Healthy endpoints before degraded ones before down ones, each group in a random order weighted by weight. */
    private List<Endpoint> preferredOrder(String model, List<Endpoint> endpoints) {
        Map<EndpointHealth, List<Endpoint>> groups = new EnumMap<>(EndpointHealth.class);
        for (Endpoint e : endpoints) groups.computeIfAbsent(healthOf(model, e), h -> new ArrayList<>()).add(e); // each health read once
        List<Endpoint> ordered = new ArrayList<>(endpoints.size());
        for (List<Endpoint> group : groups.values()) ordered.addAll(weightedOrder(group));
        return ordered;
    }

    private EndpointHealth healthOf(String model, Endpoint endpoint) {
        CircuitBreaker<Object> circuit = circuits.of(model, endpoint.name());
        return endpoint.health(circuit.isOpen(), circuit.isHalfOpen());
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
}
