package io.sluice.http.server;

import io.sluice.ports.in.CallTimings;
import io.sluice.ports.in.ServedBy;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionStage;

/**
 * The {@code Server-Timing} header of a chat answer: how long the call waited on the upstream ({@code upstream}), on
 * storing its turn and bill ({@code store}), and the gateway's whole overhead ({@code gateway}: everything but the
 * upstream, storing included), in milliseconds. A stream's header goes out with its first chunk and times that
 * chunk. Measured inside the gateway, from the moment its router takes the request: what a client measures adds the
 * network and the time the request waited for an event loop.
 */
final class ServerTiming {
    static final String HEADER = "Server-Timing";
    private static final String START = "sluice.request.start";

    private ServerTiming() {}

    /** Marks the request's start; the first router handler calls it. */
    static void start(RoutingContext ctx, long nanos) {
        ctx.put(START, nanos);
    }

    /** When the router took the request, or now if nothing marked it. */
    static long startOf(RoutingContext ctx) {
        Long start = ctx.get(START);
        return start == null ? System.nanoTime() : start;
    }

    /** A call answers now: records the gateway's part of it and returns its header. */
    static String answered(long requestStart, CallTimings timings, GatewayMetrics metrics) {
        long total = System.nanoTime() - requestStart;
        metrics.overhead(false, Math.max(0, total - timings.upstreamNanos()));
        return answer(total, timings);
    }

    static String answer(long totalNanos, CallTimings timings) {
        StringBuilder header = new StringBuilder(64);
        entry(header, "upstream", timings.upstreamNanos()).append(", ");
        entry(header, "store", timings.storeNanos()).append(", ");
        return entry(header, "gateway", Math.max(0, totalNanos - timings.upstreamNanos())).toString();
    }

    static String firstChunk(long upstreamNanos, long gatewayNanos) {
        StringBuilder header = new StringBuilder(48);
        entry(header, "upstream", upstreamNanos).append(", ");
        return entry(header, "gateway", gatewayNanos).toString();
    }

    /** {@code name;dur=<ms with three decimals>}, without {@code String.format}'s cost on every call. */
    private static StringBuilder entry(StringBuilder header, String name, long nanos) {
        long micros = Math.max(0, nanos) / 1_000;
        long fraction = micros % 1_000;
        header.append(name).append(";dur=").append(micros / 1_000).append('.');
        if (fraction < 100) header.append('0');
        if (fraction < 10) header.append('0');
        return header.append(fraction);
    }

    /**
     * A stream's first chunk: when its upstream was asked (this is made just before the stream is subscribed to, which
     * asks it) and when that upstream's first chunk arrived ({@code servedBy} completes before the chunk is passed on).
     */
    static final class FirstChunk {
        private final long requestStart;
        private final GatewayMetrics metrics;
        private final long upstreamStart = System.nanoTime();
        private volatile long upstreamFirstChunk;

        FirstChunk(long requestStart, CompletionStage<ServedBy> servedBy, GatewayMetrics metrics) {
            this.requestStart = requestStart;
            this.metrics = metrics;
            servedBy.whenComplete((by, error) -> upstreamFirstChunk = System.nanoTime());
        }

        /** The first chunk goes out now: records the gateway's part and returns the header, or null when the upstream's part is unknown. */
        String written() {
            if (upstreamFirstChunk == 0) return null;
            long upstream = upstreamFirstChunk - upstreamStart;
            long gateway = Math.max(0, System.nanoTime() - requestStart - upstream);
            metrics.overhead(true, gateway);
            return firstChunk(upstream, gateway);
        }
    }
}
