package io.sluice.app;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.ports.out.CallEvents;
import io.sluice.ports.out.UpstreamEvents;
import java.util.Map;

/** What the engine reports, as Prometheus meters: calls by how they ended, the response cache, upstream retries and errors. */
final class EngineMeters {
    private EngineMeters() {}

    /** Upstream attempts retried (by the retry table's class), and failed (by endpoint and how: 429s apart from 503s). */
    static UpstreamEvents upstream(PrometheusMeterRegistry meters) {
        Map<String, java.util.concurrent.atomic.AtomicInteger> inFlight = new java.util.concurrent.ConcurrentHashMap<>();
        return new UpstreamEvents() {
            @Override
            public void inFlight(String endpoint, int change) {
                inFlight.computeIfAbsent(endpoint, e -> {
                    var count = new java.util.concurrent.atomic.AtomicInteger();
                    io.micrometer.core.instrument.Gauge.builder("sluice.upstream.in.flight", count, java.util.concurrent.atomic.AtomicInteger::get)
                            .description("Upstream attempts under way by endpoint (a stream's until its first chunk)").tag("endpoint", e).register(meters);
                    return count;
                }).addAndGet(change);
            }

            @Override
            public void retried(String model, String endpoint, String reason) {
                io.micrometer.core.instrument.Counter.builder("sluice.upstream.retries").description("Upstream attempts that failed and were retried")
                        .tag("model", model).tag("endpoint", endpoint).tag("reason", reason).register(meters).increment();
            }

            @Override
            public void failed(String endpoint, String errorType) {
                io.micrometer.core.instrument.Counter.builder("sluice.upstream.errors")
                        .description("Upstream attempts that failed, by endpoint and how: 429s (rate_limited) apart from 503s (unavailable)")
                        .tag("endpoint", endpoint).tag("error.type", errorType).register(meters).increment();
            }
        };
    }

    /**
     * Each group commit's size ({@code sluice_storage_batch_size{what}}: turns or bills written in one transaction) and
     * its time to commit ({@code sluice_storage_commit_seconds{what}}).
     */
    static io.sluice.engine.ledger.GroupCommit.Observer commits(PrometheusMeterRegistry meters, String what) {
        var sizes = io.micrometer.core.instrument.DistributionSummary.builder("sluice.storage.batch.size")
                .description("Items written in one transaction by group commit").tag("what", what)
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128).register(meters);
        var times = io.micrometer.core.instrument.Timer.builder("sluice.storage.commit").description("Time from a group commit's write to its commit")
                .tag("what", what).serviceLevelObjectives(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(2), java.time.Duration.ofMillis(5),
                        java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(25), java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(100),
                        java.time.Duration.ofMillis(250), java.time.Duration.ofSeconds(1)).register(meters);
        return (items, nanos) -> {
            sizes.record(items);
            times.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        };
    }

    /** Calls by how they ended, and bills that could not be written; each counter registered once, not on every call. */
    static CallEvents calls(PrometheusMeterRegistry meters) {
        io.micrometer.core.instrument.Counter unwritten = io.micrometer.core.instrument.Counter.builder("sluice.bills.unwritten")
                .description("Bills that could not be written to the ledger (each logged with its request id)").register(meters);
        Map<String, io.micrometer.core.instrument.Counter> ended = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, io.micrometer.core.instrument.Counter> lookups = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, io.sluice.engine.ledger.GroupCommit.Observer> commits = new java.util.concurrent.ConcurrentHashMap<>();
        return new CallEvents() {
            @Override
            public void ended(String outcome) {
                ended.computeIfAbsent(outcome, o -> io.micrometer.core.instrument.Counter.builder("sluice.calls.ended")
                        .description("Chat calls by how they ended").tag("outcome", o).register(meters)).increment();
            }

            @Override
            public void billUnwritten() {
                unwritten.increment();
            }

            @Override
            public void committed(String what, int items, long nanos) {
                commits.computeIfAbsent(what, w -> commits(meters, w)).committed(items, nanos);
            }

            @Override
            public void cache(String status) {
                lookups.computeIfAbsent(status, r -> io.micrometer.core.instrument.Counter.builder("sluice.response.cache")
                        .description("Chat calls by the response cache's part in them: hit, miss or bypass").tag("result", r).register(meters)).increment();
            }
        };
    }

    /**
     * How far each budget is spent (0 to 1 and past it), by budget without its window ({@code key:acme:day}); at most
     * {@link #MAX_BUDGET_LABELS} budgets get a series of their own, the rest share {@code other}.
     */
    static io.sluice.ports.out.BudgetAlerts budgets(PrometheusMeterRegistry meters) {
        Map<String, java.util.concurrent.atomic.AtomicReference<Double>> used = new java.util.concurrent.ConcurrentHashMap<>();
        return new io.sluice.ports.out.BudgetAlerts() {
            private String label(io.sluice.domain.budget.BudgetCheck check) {
                String budget = io.sluice.domain.budget.BudgetThreshold.budgetOf(check);
                return used.containsKey(budget) || used.size() < MAX_BUDGET_LABELS ? budget : "other";
            }

            @Override
            public void spent(io.sluice.domain.budget.BudgetCheck check, java.math.BigDecimal spentUsd) {
                if (check.limitUsd().signum() <= 0) return;
                String budget = label(check);
                double ratio = spentUsd.divide(check.limitUsd(), 6, java.math.RoundingMode.HALF_UP).doubleValue(); // a gauge, not a bill
                used.computeIfAbsent(budget, b -> {
                    var value = new java.util.concurrent.atomic.AtomicReference<>(0.0);
                    io.micrometer.core.instrument.Gauge.builder("sluice.budget.used.ratio", value, java.util.concurrent.atomic.AtomicReference::get)
                            .description("How far each budget's current period is spent: 0.8 at 80%, 1 at its cap").tag("budget", b).register(meters);
                    return value;
                }).set(ratio);
            }

            @Override
            public void refused(io.sluice.domain.budget.BudgetCheck check) {
                io.micrometer.core.instrument.Counter.builder("sluice.budget.refusals").description("Calls refused for want of room in a budget")
                        .tag("budget", label(check)).register(meters).increment();
            }

            @Override
            public void crossed(io.sluice.domain.budget.BudgetThreshold crossing) {
                io.micrometer.core.instrument.Counter.builder("sluice.budget.thresholds").description("Budget thresholds crossed (80%, 100%)")
                        .tag("budget", label(crossing.check())).tag("percent", Integer.toString(crossing.percent())).register(meters).increment();
            }
        };
    }

    static final int MAX_BUDGET_LABELS = 64;
}
