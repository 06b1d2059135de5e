package io.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.budget.Budget;
import io.sluice.domain.budget.BudgetCheck;
import io.sluice.ports.out.BudgetStore;
import io.sluice.testkit.contract.BudgetStoreContract;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The budget store contract on a real Redis, and what is particular to nano-dollar counters. */
class RedisBudgetStoreTest extends BudgetStoreContract {
    private final RedisBudgetStore store = new RedisBudgetStore(TestRedis.commands());

    @Override
    protected BudgetStore store() {
        return store;
    }

    @Test
    void amountsRoundUpToTheNanoDollarAndLimitsDownSoThatRoundingNeverOverrunsACap() {
        assertThat(RedisBudgetStore.nanos(new BigDecimal("0.0000000001"))).isEqualTo(1);
        assertThat(RedisBudgetStore.nanos(new BigDecimal("0.01"))).isEqualTo(10_000_000);
        BudgetCheck cap = new BudgetCheck("test:" + UUID.randomUUID(), Budget.Period.TOTAL, new BigDecimal("0.0000000025"));
        assertThat(store.reserve(List.of(cap), new BigDecimal("0.000000002")).toCompletableFuture().join().outcome())
                .isEqualTo(BudgetStore.Outcome.RESERVED);
        assertThat(store.reserve(List.of(cap), new BigDecimal("0.0000000001")).toCompletableFuture().join().outcome())
                .as("2 + 1 nano-dollars against a cap of 2 (2.5 rounded down)").isEqualTo(BudgetStore.Outcome.WAIT);
    }

    @Test
    void aDaysCounterExpiresAfterItsPeriodAndATotalNever() {
        String day = "test:" + UUID.randomUUID() + ":day:2026-11-23";
        String total = "test:" + UUID.randomUUID() + ":total";
        store.reserve(List.of(new BudgetCheck(day, Budget.Period.DAY, BigDecimal.ONE), new BudgetCheck(total, Budget.Period.TOTAL, BigDecimal.ONE)),
                        new BigDecimal("0.5"))
                .toCompletableFuture().join();
        assertThat(TestRedis.commands().ttl("sluice:budget:" + day).toCompletableFuture().join()).isBetween(2 * 86_400L, 3 * 86_400L);
        assertThat(TestRedis.commands().ttl("sluice:budget:" + total).toCompletableFuture().join()).isEqualTo(-1L);
    }
}
