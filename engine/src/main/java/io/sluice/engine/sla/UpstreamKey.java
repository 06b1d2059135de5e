package io.sluice.engine.sla;

import io.sluice.ports.out.LlmProvider;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * One API key of an endpoint, as a provider instance, with what the gateway knows of it: cooling down after a 429
 * until its Retry-After has passed, disabled after a 401 or 403, and its own requests-per-minute budget, so that a
 * request is never sent on a key known to be over its limit. Thread-safe.
 */
public final class UpstreamKey {
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    private final String label;
    private final LlmProvider provider;
    private final int rpm;
    private final ArrayDeque<Long> sent = new ArrayDeque<>();
    private long coolUntil;
    private boolean disabled;

    /** @param rpm requests per minute allowed on this key; 0 for no limit */
    public UpstreamKey(String label, LlmProvider provider, int rpm) {
        this.label = label;
        this.provider = provider;
        this.rpm = rpm;
    }

    public String label() {
        return label;
    }

    public LlmProvider provider() {
        return provider;
    }

    /** Takes one request from the key's budget, if it may be used now. */
    synchronized boolean tryAcquire(long now) {
        if (disabled || now < coolUntil) return false;
        if (rpm > 0) {
            while (!sent.isEmpty() && now - sent.peekFirst() >= MINUTE) sent.pollFirst();
            if (sent.size() >= rpm) return false;
            sent.addLast(now);
        }
        return true;
    }

    /** When the key may be used again ({@link Long#MAX_VALUE} when disabled). */
    synchronized long readyAt(long now) {
        if (disabled) return Long.MAX_VALUE;
        long ready = Math.max(now, coolUntil);
        if (rpm > 0 && sent.size() >= rpm) ready = Math.max(ready, sent.peekFirst() + MINUTE);
        return ready;
    }

    synchronized void coolFor(Duration pause, long now) {
        coolUntil = Math.max(coolUntil, now + pause.toNanos());
    }

    synchronized void disable() {
        disabled = true;
    }

    public synchronized boolean disabled() {
        return disabled;
    }

    public synchronized boolean cooling(long now) {
        return now < coolUntil;
    }
}
