package io.sluice.app.config;

import java.math.BigDecimal;
import java.util.Optional;

/** {@code sluice.budgets}: hard caps on spend. */
public interface BudgetsConfig {
    /** Where the counters live: {@code database} (the ledger's) or {@code redis} ({@code sluice.redis.uri}). */
    @io.smallrye.config.WithDefault("database")
    String store();

    /** With the counters in Redis, while it is unreachable: {@code fail-closed} refuses calls a budget applies to (503), {@code fail-open} lets them through unchecked. */
    @io.smallrye.config.WithName("on-redis-outage")
    @io.smallrye.config.WithDefault("fail-closed")
    String onRedisOutage();

    /**
     * How long after its call's deadline a reservation (hold) expires: one its call never settled (the process died) is
     * then released, or settled from the ledger, by the sweep. Longer than any stream lasts past its deadline.
     */
    @io.smallrye.config.WithDefault("2m")
    java.time.Duration holdMargin();

    /** How often each replica sweeps expired holds. */
    @io.smallrye.config.WithDefault("10s")
    java.time.Duration sweepInterval();

    /** Percentages of a cap at which a budget is reported (the {@code sluice_budget_thresholds_total} counter, the webhook). */
    @io.smallrye.config.WithName("alert-at")
    @io.smallrye.config.WithDefault("80,100")
    java.util.List<Integer> alertAt();

    /** Where budget thresholds are POSTed, and the secret they are signed with; none by default. */
    Webhook webhook();

    interface Webhook {
        Optional<String> url();

        Optional<String> secret();
    }

    /** Everyone together. */
    Caps global();

    /** Each gateway key (its owner). */
    Caps key();

    /** Each end user of an owner. */
    Caps user();

    /** Each conversation. */
    Caps conversation();

    interface Caps {
        /** Per UTC day. */
        Optional<BigDecimal> day();

        /** Per UTC month. */
        Optional<BigDecimal> month();

        /** In total. */
        Optional<BigDecimal> total();
    }
}
