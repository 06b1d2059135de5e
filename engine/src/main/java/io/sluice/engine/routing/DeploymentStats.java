package io.sluice.engine.routing;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one deployment's calls did: how many, how many failed, and the latencies of the most recent ones, from which
 * the p50 and p95 are read. Thread-safe.
 */
public final class DeploymentStats {
    /** How many recent latencies the percentiles are read from. */
    static final int RECENT = 2048;

    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final long[] recentNanos = new long[RECENT];
    private final boolean[] recentFailed = new boolean[RECENT];
    private long recorded;

    public void record(long latencyNanos, boolean failed) {
        requests.increment();
        if (failed) errors.increment();
        synchronized (recentNanos) {
            int slot = (int) (recorded++ % RECENT);
            recentNanos[slot] = latencyNanos;
            recentFailed[slot] = failed;
        }
    }

    /** How many recent calls there are to judge by (at most {@value #RECENT}), and the share of them that failed. */
    public record Recent(int calls, double errorRate) {}

    public Recent recent() {
        synchronized (recentNanos) {
            int calls = (int) Math.min(recorded, RECENT);
            int failed = 0;
            for (int i = 0; i < calls; i++) if (recentFailed[i]) failed++;
            return new Recent(calls, calls == 0 ? 0 : (double) failed / calls);
        }
    }

    /** Forgets the recent calls (the totals stay): what a deployment did before it was rolled back says nothing of it now. */
    public void forgetRecent() {
        synchronized (recentNanos) {
            recorded = 0;
        }
    }

    public long requests() {
        return requests.sum();
    }

    public long errors() {
        return errors.sum();
    }

    /** The latency below which {@code percent} of the recent calls fell, in milliseconds; null before the first call. */
    public Double percentileMillis(double percent) {
        long[] copy;
        synchronized (recentNanos) {
            copy = Arrays.copyOf(recentNanos, (int) Math.min(recorded, RECENT));
        }
        if (copy.length == 0) return null;
        Arrays.sort(copy);
        int rank = (int) Math.ceil(percent / 100.0 * copy.length) - 1;
        return copy[Math.max(0, Math.min(copy.length - 1, rank))] / 1e6;
    }
}
