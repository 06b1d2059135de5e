package io.sluice.ports.in;

/**
 * Where a completed call's time went besides the gateway's own work, in nanoseconds: waiting on upstreams (every
 * attempt, retry and failover, from the first request sent to the answer), and storing the turn and its bill before
 * the answer goes out. What is left of the call's time is the gateway's overhead.
 */
public record CallTimings(long upstreamNanos, long storeNanos) {
    public CallTimings {
        if (upstreamNanos < 0 || storeNanos < 0) throw new IllegalArgumentException("timings must be 0 or more");
    }
}
