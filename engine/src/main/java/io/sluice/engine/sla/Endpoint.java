package io.sluice.engine.sla;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream endpoint (a base URL) with its keys, its weight among the endpoints that serve a model, and what its
 * recent attempts tell of it: an EWMA of their latency and of their failure rate. Keys are used in turn, so that load
 * spreads over them. Thread-safe.
 */
public final class Endpoint {
    /** Weight of the newest attempt in the moving averages: about the last ten attempts count. */
    static final double EWMA_ALPHA = 0.2;
    /** A failure rate from which the endpoint is reported, and chosen, as degraded. */
    static final double DEGRADED_FAILURE_RATE = 0.25;
    /**
     * How fast the failure rate fades while no attempt comes (its time constant): a degraded endpoint gets attempts
     * after others, so without fading it could stay degraded forever after a short bad spell.
     */
    static final long FAILURE_FADE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    private final String name;
    private final int weight;
    /** Replaced whole when a key is added or removed at runtime; readers take it once per use. */
    private volatile List<UpstreamKey> keys;
    private final AtomicInteger next = new AtomicInteger();
    private final AdaptiveConcurrency concurrency;
    private double latencyMillis = Double.NaN;
    private double failureRate;
    private long failureRateAt = System.nanoTime();

    public Endpoint(String name, int weight, List<UpstreamKey> keys) {
        this(name, weight, keys, null);
    }

    /** @param concurrency this endpoint's adaptive concurrency limit; null for none */
    public Endpoint(String name, int weight, List<UpstreamKey> keys, AdaptiveConcurrency concurrency) {
        this.concurrency = concurrency;
        if (keys.isEmpty()) throw new IllegalArgumentException("endpoint '" + name + "' has no keys");
        if (weight < 1) throw new IllegalArgumentException("endpoint '" + name + "' needs a positive weight, was " + weight);
        this.name = name;
        this.weight = weight;
        this.keys = List.copyOf(keys);
    }

    public String name() {
        return name;
    }

    public int weight() {
        return weight;
    }

    public List<UpstreamKey> keys() {
        return keys;
    }

    /** Adds a key (one added at runtime); a label already here is not added twice. */
    public synchronized void addKey(UpstreamKey key) {
        if (keys.stream().anyMatch(k -> k.label().equals(key.label()))) return;
        List<UpstreamKey> more = new java.util.ArrayList<>(keys);
        more.add(key);
        keys = List.copyOf(more);
    }

    /** Removes the key of {@code label}, unless it is the endpoint's last; returns it, or null. */
    public synchronized UpstreamKey removeKey(String label) {
        UpstreamKey gone = keys.stream().filter(k -> k.label().equals(label)).findFirst().orElse(null);
        if (gone == null || keys.size() == 1) return null;
        keys = keys.stream().filter(k -> k != gone).toList();
        return gone;
    }

    /** The endpoint's adaptive concurrency limit, if it has one. */
    public java.util.Optional<AdaptiveConcurrency> concurrency() {
        return java.util.Optional.ofNullable(concurrency);
    }

    /** A key that may be used now for a request of {@code estimatedTokens}, starting after the last one handed out. */
    UpstreamKey acquireKey(long now, long estimatedTokens, String upstreamModel) {
        List<UpstreamKey> keys = this.keys;
        int start = Math.floorMod(next.getAndIncrement(), keys.size());
        for (int i = 0; i < keys.size(); i++) {
            UpstreamKey key = keys.get((start + i) % keys.size());
            if (key.tryAcquire(now, estimatedTokens, upstreamModel)) return key;
        }
        return null;
    }

    long readyAt(long now, long estimatedTokens, String upstreamModel) {
        long ready = Long.MAX_VALUE;
        for (UpstreamKey key : keys) ready = Math.min(ready, key.readyAt(now, estimatedTokens, upstreamModel));
        return ready;
    }

    boolean limitsTokens() {
        for (UpstreamKey key : keys) if (key.limitsTokens()) return true;
        return false;
    }

    /** Folds one attempt into the averages; {@code failed} is the endpoint's fault (5xx, timeout, reset), not a 4xx. */
    synchronized void record(long latencyNanos, boolean failed) {
        double millis = latencyNanos / 1e6;
        latencyMillis = Double.isNaN(latencyMillis) ? millis : latencyMillis + EWMA_ALPHA * (millis - latencyMillis);
        long now = System.nanoTime();
        failureRate = faded(now) + EWMA_ALPHA * ((failed ? 1 : 0) - faded(now));
        failureRateAt = now;
    }

    private double faded(long now) {
        return failureRate * Math.exp(-(double) (now - failureRateAt) / FAILURE_FADE_NANOS);
    }

    /** This replica's failed attempts at the endpoint since it started, by how they failed ({@code rate_limited}, ...). */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.LongAdder> errors = new java.util.concurrent.ConcurrentHashMap<>();

    void failed(String errorType) {
        errors.computeIfAbsent(errorType, t -> new java.util.concurrent.atomic.LongAdder()).increment();
    }

    /** The failed attempts so far, by how they failed, in name order. */
    public java.util.SortedMap<String, Long> errorsByType() {
        java.util.SortedMap<String, Long> counts = new java.util.TreeMap<>();
        errors.forEach((type, count) -> counts.put(type, count.sum()));
        return counts;
    }

    /** The EWMA of attempt latency in milliseconds; NaN before the first attempt. */
    public synchronized double latencyEwmaMillis() {
        return latencyMillis;
    }

    /** The EWMA of the share of attempts that failed by the endpoint's fault, in [0, 1], faded by the time since the last. */
    public synchronized double failureRateEwma() {
        return faded(System.nanoTime());
    }

    /** The endpoint's state for a model, given that model's circuit on it. */
    EndpointHealth health(boolean circuitOpen, boolean circuitHalfOpen) {
        long now = System.nanoTime();
        List<UpstreamKey> keys = this.keys;
        boolean allDisabled = keys.stream().allMatch(k -> k.disabled(now));
        if (circuitOpen || allDisabled) return EndpointHealth.DOWN;
        boolean someDisabled = keys.stream().anyMatch(k -> k.disabled(now));
        if (circuitHalfOpen || someDisabled || failureRateEwma() >= DEGRADED_FAILURE_RATE) return EndpointHealth.DEGRADED;
        return EndpointHealth.HEALTHY;
    }
}
