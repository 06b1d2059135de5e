package io.sluice.app.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The concurrency study: for each concurrency level, that many callers in a closed loop share the level's slice of
 * the request budget; each level reports its throughput, p50 and p95 latency and error rate. The best level is the
 * lowest whose throughput is within 5% of the highest seen among levels within the error budget: past it, more
 * calls in flight only add latency.
 */
public final class ConcurrencySweep {
    /** One call upstream; true when it succeeded. */
    @FunctionalInterface
    public interface Call {
        boolean send() throws Exception;
    }

    public record Level(int concurrency, int calls, double throughput, double p50Millis, double p95Millis, double errorRate) {}

    public record Result(List<Level> levels, Level best) {}

    private final Call call;

    public ConcurrencySweep(Call call) {
        this.call = call;
    }

    public Result run(int[] concurrencies, int requestBudget, double maxErrorRate) throws Exception {
        int perLevel = Math.max(1, requestBudget / concurrencies.length);
        List<Level> levels = new ArrayList<>();
        for (int c : concurrencies) levels.add(level(c, Math.max(perLevel, c)));
        return new Result(levels, best(levels, maxErrorRate));
    }

    static Level best(List<Level> levels, double maxErrorRate) {
        List<Level> healthy = levels.stream().filter(l -> l.errorRate() <= maxErrorRate).toList();
        if (healthy.isEmpty()) return null;
        double top = healthy.stream().mapToDouble(Level::throughput).max().orElse(0);
        return healthy.stream().filter(l -> l.throughput() >= 0.95 * top).findFirst().orElseThrow();
    }

    private Level level(int concurrency, int calls) throws Exception {
        AtomicInteger left = new AtomicInteger(calls);
        long[] latencies = new long[calls];
        AtomicInteger recorded = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> callers = new ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                callers.add(pool.submit((Callable<Void>) () -> {
                    while (left.getAndDecrement() > 0) {
                        long t = System.nanoTime();
                        boolean ok;
                        try {
                            ok = call.send();
                        } catch (Exception e) {
                            ok = false;
                        }
                        latencies[recorded.getAndIncrement()] = System.nanoTime() - t;
                        if (!ok) errors.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<Void> f : callers) f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] sorted = Arrays.copyOf(latencies, recorded.get());
        Arrays.sort(sorted);
        return new Level(concurrency, sorted.length, (sorted.length - errors.get()) / seconds, percentile(sorted, 50), percentile(sorted, 95),
                sorted.length == 0 ? 0 : errors.get() / (double) sorted.length);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
