package io.sluice.app.config;

import java.math.BigDecimal;
import java.util.Optional;

/** {@code sluice.budgets}: hard caps on spend. */
public interface BudgetsConfig {
    /** Where the counters live: {@code database} (the ledger's) or {@code redis} ({@code sluice.redis.uri}). */
    @io.smallrye.config.WithDefault("database")
    String store();

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
