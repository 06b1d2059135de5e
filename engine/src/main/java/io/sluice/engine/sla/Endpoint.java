package io.sluice.engine.sla;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream endpoint (a base URL) with its keys and its weight among the endpoints that serve a model. Keys are
 * used in turn, so that load spreads over them. Thread-safe.
 */
public final class Endpoint {
    private final String name;
    private final int weight;
    private final List<UpstreamKey> keys;
    private final AtomicInteger next = new AtomicInteger();

    public Endpoint(String name, int weight, List<UpstreamKey> keys) {
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

    /** A key that may be used now, starting after the last one handed out; null when none may. */
    UpstreamKey acquireKey(long now) {
        int start = Math.floorMod(next.getAndIncrement(), keys.size());
        for (int i = 0; i < keys.size(); i++) {
            UpstreamKey key = keys.get((start + i) % keys.size());
            if (key.tryAcquire(now)) return key;
        }
        return null;
    }

    long readyAt(long now) {
        long ready = Long.MAX_VALUE;
        for (UpstreamKey key : keys) ready = Math.min(ready, key.readyAt(now));
        return ready;
    }
}
