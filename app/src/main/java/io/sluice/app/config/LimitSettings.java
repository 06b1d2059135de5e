package io.sluice.app.config;

import io.sluice.domain.Require;
import io.sluice.domain.budget.Budget;
import io.sluice.engine.budget.BudgetGuard;
import java.time.Duration;
import io.sluice.engine.limits.RateLimits;
import java.util.List;

/**
 * The gateway's rate limits, whether replicas share their counters (Redis) or each keeps its own, and the hard caps
 * on spend, whose counters every replica shares: in the database by default, in Redis when {@code budgetsInRedis}.
 * Immutable.
 */
public record LimitSettings(RateLimits limits, boolean shared, List<Budget> budgets, Concurrency concurrency, boolean budgetsInRedis,
                            Holds holds, Alerts alerts) {
    public static final LimitSettings NONE = new LimitSettings(RateLimits.NONE, false, List.of());

    /** How long after its call's deadline a budget hold expires, and how often expired holds are swept. */
    public record Holds(Duration margin, Duration sweepInterval) {
        public static final Holds DEFAULTS = new Holds(BudgetGuard.DEFAULT_HOLD_MARGIN, Duration.ofSeconds(10));

        public Holds {
            Require.positive(margin, "margin");
            Require.positive(sweepInterval, "sweepInterval");
        }
    }

    /**
     * Each upstream endpoint's adaptive concurrency limit (Vegas): off, or on from {@code initialLimit}, never above
     * {@code maxLimit}, with a queue of at most {@code maxQueue} waiting calls per endpoint.
     */
    public record Concurrency(boolean adaptive, int initialLimit, int maxLimit, int maxQueue) {
        public static final Concurrency OFF = new Concurrency(false, 20, 1000, 100);

        public Concurrency {
            if (initialLimit < 1 || maxLimit < initialLimit) {
                throw new IllegalArgumentException("need 1 <= initial-limit <= max-limit, were " + initialLimit + " and " + maxLimit);
            }
            if (maxQueue < 0) throw new IllegalArgumentException("'max-queue' must be 0 or more, was " + maxQueue);
        }
    }

    /**
     * When a budget is reported as nearly or wholly spent: at these percentages of its cap (a gauge and a counter in
     * {@code /metrics}), and to {@code webhook} when set, signed with {@code secret} when set.
     */
    public record Alerts(List<Integer> thresholds, java.util.Optional<java.net.URI> webhook, java.util.Optional<String> secret) {
        public static final Alerts DEFAULTS = new Alerts(io.sluice.engine.budget.BudgetWatch.DEFAULT_THRESHOLDS, java.util.Optional.empty(),
                java.util.Optional.empty());

        public Alerts {
            thresholds = List.copyOf(thresholds);
            for (int t : thresholds) if (t < 1 || t > 1000) throw new IllegalArgumentException("thresholds are percentages from 1 to 1000, was " + t);
        }
    }

    public LimitSettings {
        alerts = alerts == null ? Alerts.DEFAULTS : alerts;
        budgets = List.copyOf(budgets);
        concurrency = concurrency == null ? Concurrency.OFF : concurrency;
        holds = holds == null ? Holds.DEFAULTS : holds;
    }

    public LimitSettings(RateLimits limits, boolean shared, List<Budget> budgets, Concurrency concurrency) {
        this(limits, shared, budgets, concurrency, false, Holds.DEFAULTS, Alerts.DEFAULTS);
    }

    public LimitSettings(RateLimits limits, boolean shared, List<Budget> budgets) {
        this(limits, shared, budgets, Concurrency.OFF);
    }

    public LimitSettings(RateLimits limits, boolean shared) {
        this(limits, shared, List.of());
    }

    public LimitSettings withConcurrency(Concurrency value) {
        return new LimitSettings(limits, shared, budgets, value, budgetsInRedis, holds, alerts);
    }

    public LimitSettings withBudgets(List<Budget> value) {
        return new LimitSettings(limits, shared, value, concurrency, budgetsInRedis, holds, alerts);
    }

    public LimitSettings withBudgetsInRedis(boolean value) {
        return new LimitSettings(limits, shared, budgets, concurrency, value, holds, alerts);
    }

    public LimitSettings withHolds(Holds value) {
        return new LimitSettings(limits, shared, budgets, concurrency, budgetsInRedis, value, alerts);
    }

    public LimitSettings withAlerts(Alerts value) {
        return new LimitSettings(limits, shared, budgets, concurrency, budgetsInRedis, holds, value);
    }
}
