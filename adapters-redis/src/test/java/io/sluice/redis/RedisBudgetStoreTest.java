package io.sluice.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.budget.Budget;
import io.sluice.domain.budget.BudgetCheck;
import io.sluice.ports.out.BudgetStore;
import io.sluice.testkit.contract.BudgetStoreContract;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The budget store contract on a real Redis, and what is particular to nano-dollar counters that Redis may lose. */
class RedisBudgetStoreTest extends BudgetStoreContract {
    private final RedisBudgetStore store = new RedisBudgetStore(TestRedis.link());

    @Override
    protected BudgetStore store() {
        return store;
    }

    @Test
    void amountsRoundUpToTheNanoDollarAndLimitsDownSoThatRoundingNeverOverrunsACap() {
        assertThat(RedisBudgetStore.nanos(new BigDecimal("0.0000000001"))).isEqualTo(1);
        assertThat(RedisBudgetStore.nanos(new BigDecimal("0.01"))).isEqualTo(10_000_000);
        BudgetCheck cap = new BudgetCheck("test:" + UUID.randomUUID(), Budget.Period.TOTAL, new BigDecimal("0.0000000025"));
        assertThat(reserve(hold("0.000000002", Duration.ofMinutes(1), cap)).outcome()).isEqualTo(BudgetStore.Outcome.RESERVED);
        assertThat(reserve(hold("0.0000000001", Duration.ofMinutes(1), cap)).outcome())
                .as("2 + 1 nano-dollars against a cap of 2 (2.5 rounded down)").isEqualTo(BudgetStore.Outcome.WAIT);
    }

    @Test
    void aDaysCounterExpiresAfterItsPeriodAndATotalNever() {
        String day = "test:" + UUID.randomUUID() + ":day:2026-11-23";
        String total = "test:" + UUID.randomUUID() + ":total";
        reserve(hold("0.5", Duration.ofMinutes(1), new BudgetCheck(day, Budget.Period.DAY, BigDecimal.ONE),
                new BudgetCheck(total, Budget.Period.TOTAL, BigDecimal.ONE)));
        assertThat(TestRedis.commands().ttl("sluice:budget:" + day).toCompletableFuture().join()).isBetween(2 * 86_400L, 3 * 86_400L);
        assertThat(TestRedis.commands().ttl("sluice:budget:" + total).toCompletableFuture().join()).isEqualTo(-1L);
    }

    @Test
    void aLostCounterIsMissingUntilRebuiltAndAHoldLostWithItCountsOnlyIfBilledAfterTheRebuild() {
        BudgetCheck cap = check("1.00");
        BudgetStore.Hold billedBefore = hold("0.20", Duration.ofMinutes(1), cap);
        BudgetStore.Hold billedAfter = hold("0.20", Duration.ofMinutes(1), cap);
        reserve(billedBefore);
        reserve(billedAfter);
        TestRedis.commands().del("sluice:budget:" + cap.counter(), "sluice:budget:hold:" + billedBefore.id(),
                "sluice:budget:hold:" + billedAfter.id()).toCompletableFuture().join(); // a flush
        BudgetStore.Reservation lost = store.reserve(hold("0.10", Duration.ofMinutes(1), cap)).toCompletableFuture().join();
        assertThat(lost.outcome()).isEqualTo(BudgetStore.Outcome.MISSING);
        assertThat(lost.refusedBy()).isEqualTo(cap);

        Instant ledgerRead = Instant.now().plusMillis(5);
        // the ledger, read at the rebuild, already holds the first call's bill of 0.15
        store.rebuild(cap, new BigDecimal("0.15"), ledgerRead).toCompletableFuture().join();
        store.rebuild(cap, new BigDecimal("0.99"), ledgerRead).toCompletableFuture().join(); // another replica, later: ignored
        store.settle(billedBefore, new BigDecimal("0.15"), ledgerRead.minusMillis(1)).toCompletableFuture().join();
        store.settle(billedAfter, new BigDecimal("0.05"), ledgerRead.plusMillis(1)).toCompletableFuture().join();
        assertThat(spent(cap)).as("the rebuilt sum, and the bill the rebuild could not see").isEqualByComparingTo("0.20");
        assertThat(reserved(cap)).isEqualByComparingTo("0");
    }

    @Test
    void aBillSettledWhileItsCounterIsLostIsCountedByTheRebuildUnlessTheLedgerItReadHadItAlready() {
        BudgetCheck cap = check("1.00");
        BudgetStore.Hold before = hold("0.20", Duration.ofMinutes(1), cap);
        BudgetStore.Hold after = hold("0.20", Duration.ofMinutes(1), cap);
        reserve(before);
        reserve(after);
        TestRedis.commands().del("sluice:budget:" + cap.counter()).toCompletableFuture().join(); // lost, holds kept
        Instant ledgerRead = Instant.now().plusMillis(5);
        store.settle(before, new BigDecimal("0.15"), ledgerRead.minusMillis(1)).toCompletableFuture().join(); // in the read
        store.settle(after, new BigDecimal("0.05"), ledgerRead.plusMillis(1)).toCompletableFuture().join(); // after it
        store.rebuild(cap, new BigDecimal("0.15"), ledgerRead).toCompletableFuture().join();
        assertThat(spent(cap)).as("the ledger's sum, and the bill it could not see").isEqualByComparingTo("0.20");
        assertThat(reserved(cap)).isEqualByComparingTo("0");
    }

    @Test
    void forgettingAnErasedUsersCountersDropsTheirsAndNoOneElses() {
        String owner = "o-" + UUID.randomUUID();
        String alice = "user:" + owner + "/alice:";
        for (String counter : new String[] {alice + "day:2026-11-23", alice + "total", "user:" + owner + "/alice2:total",
                "user:" + owner + "/a*ice:total"}) {
            store.rebuild(new BudgetCheck(counter, Budget.Period.TOTAL, BigDecimal.TEN), BigDecimal.ONE, Instant.now()).toCompletableFuture().join();
        }

        store.forget(alice).toCompletableFuture().join();

        assertThat(TestRedis.commands().exists("sluice:budget:" + alice + "day:2026-11-23", "sluice:budget:" + alice + "total")
                .toCompletableFuture().join()).isZero();
        assertThat(TestRedis.commands().exists("sluice:budget:user:" + owner + "/alice2:total", "sluice:budget:user:" + owner + "/a*ice:total")
                .toCompletableFuture().join()).as("another user, and a name with a glob character").isEqualTo(2);
        store.forget("user:" + owner + "/a*ice:").toCompletableFuture().join();
        assertThat(TestRedis.commands().exists("sluice:budget:user:" + owner + "/alice2:total").toCompletableFuture().join())
                .as("a glob character in a name matches only itself").isEqualTo(1);
    }
}
