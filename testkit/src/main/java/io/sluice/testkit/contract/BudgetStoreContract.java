package io.sluice.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.budget.Budget;
import io.sluice.domain.budget.BudgetCheck;
import io.sluice.ports.out.BudgetStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link BudgetStore} must do. Each test uses counters and holds of its own. */
public abstract class BudgetStoreContract {
    protected abstract BudgetStore store();

    protected static BudgetCheck check(String limit) {
        return new BudgetCheck("test:" + UUID.randomUUID(), Budget.Period.TOTAL, new BigDecimal(limit));
    }

    protected static BudgetStore.Hold hold(String amount, Duration life, BudgetCheck... checks) {
        Instant now = Instant.now();
        return new BudgetStore.Hold("req_" + UUID.randomUUID(), List.of(checks), new BigDecimal(amount), now, now.plus(life));
    }

    /**
     * Reserves as the engine does: a counter the store does not know yet is built first (from an empty ledger, here, read
     * before the hold was made).
     */
    protected BudgetStore.Reservation reserve(BudgetStore.Hold hold) {
        BudgetStore.Reservation r = store().reserve(hold).toCompletableFuture().join();
        while (r.outcome() == BudgetStore.Outcome.MISSING) {
            store().rebuild(r.refusedBy(), BigDecimal.ZERO, hold.reservedAt().minusSeconds(1)).toCompletableFuture().join();
            r = store().reserve(hold).toCompletableFuture().join();
        }
        return r;
    }

    private BudgetStore.Reservation reserve(String amount, BudgetCheck... checks) {
        return reserve(hold(amount, Duration.ofMinutes(5), checks));
    }

    private void settle(BudgetStore.Hold hold, String actual) {
        store().settle(hold, new BigDecimal(actual), Instant.now()).toCompletableFuture().join();
    }

    protected BigDecimal spent(BudgetCheck check) {
        return store().spent(check.counter()).toCompletableFuture().join();
    }

    protected BigDecimal reserved(BudgetCheck check) {
        return store().reserved(check.counter()).toCompletableFuture().join();
    }

    @Test
    void reservationsFillACapThenWaitForSettlementsAndSettlingFreesWhatWasNotSpent() {
        BudgetCheck cap = check("1.00");
        BudgetStore.Hold first = hold("0.60", Duration.ofMinutes(5), cap);
        assertThat(reserve(first).outcome()).isEqualTo(BudgetStore.Outcome.RESERVED);
        assertThat(reserve("0.50", cap).outcome()).as("fits once the call in flight settles").isEqualTo(BudgetStore.Outcome.WAIT);
        settle(first, "0.100000001");
        assertThat(spent(cap)).isEqualByComparingTo("0.100000001");
        BudgetStore.Hold second = hold("0.50", Duration.ofMinutes(5), cap);
        assertThat(reserve(second).outcome()).isEqualTo(BudgetStore.Outcome.RESERVED);
        assertThat(reserve("0.899999999", cap).outcome()).isEqualTo(BudgetStore.Outcome.WAIT);
        settle(second, "0");
        assertThat(reserve("0.899999999", cap).outcome()).as("exactly the rest").isEqualTo(BudgetStore.Outcome.RESERVED);
    }

    @Test
    void whatCannotFitEvenWithNothingInFlightIsExceededAndReservesNothingAnywhere() {
        BudgetCheck roomy = check("10");
        BudgetCheck tight = check("0.01");
        BudgetStore.Reservation refused = reserve("0.02", roomy, tight);
        assertThat(refused.outcome()).isEqualTo(BudgetStore.Outcome.EXCEEDED);
        assertThat(refused.refusedBy()).isEqualTo(tight);
        assertThat(reserve("10", roomy).outcome()).as("the refused call reserved nothing").isEqualTo(BudgetStore.Outcome.RESERVED);
    }

    @Test
    void aHoldSettledTwiceCountsOnce() {
        BudgetCheck cap = check("1.00");
        BudgetStore.Hold hold = hold("0.40", Duration.ofMinutes(5), cap);
        reserve(hold);
        settle(hold, "0.25");
        settle(hold, "0.25");
        assertThat(spent(cap)).isEqualByComparingTo("0.25");
        assertThat(reserved(cap)).isEqualByComparingTo("0");
    }

    @Test
    void anExpiredHoldIsListedThenReleasedWithWhatTheLedgerBilledAndALateSettlementAddsOnlyTheRest() {
        BudgetCheck day = check("1.00");
        BudgetCheck total = check("5.00");
        BudgetStore.Hold live = hold("0.30", Duration.ofMinutes(5), day);
        BudgetStore.Hold abandoned = hold("0.50", Duration.ofMillis(-1), day, total);
        reserve(live);
        reserve(abandoned);
        List<String> expired = store().expired(Instant.now(), 10_000).toCompletableFuture().join();
        assertThat(expired).as("only the hold past its expiry").contains(abandoned.id()).doesNotContain(live.id());

        store().expire(abandoned.id(), new BigDecimal("0.10")).toCompletableFuture().join();
        store().expire(abandoned.id(), new BigDecimal("0.10")).toCompletableFuture().join(); // two replicas sweeping at once
        assertThat(reserved(day)).as("the abandoned hold released, the live one kept").isEqualByComparingTo("0.30");
        assertThat(spent(day)).as("what the ledger billed the abandoned call, once").isEqualByComparingTo("0.10");
        assertThat(spent(total)).isEqualByComparingTo("0.10");
        assertThat(store().expired(Instant.now(), 10_000).toCompletableFuture().join()).doesNotContain(abandoned.id());

        settle(abandoned, "0.35"); // the call was alive after all, and settles late
        assertThat(spent(day)).as("its actual cost, counted once").isEqualByComparingTo("0.35");
        assertThat(reserved(day)).isEqualByComparingTo("0.30");
        assertThat(spent(total)).isEqualByComparingTo("0.35");
    }

    @Test
    void countersAreListedByPrefixMostSpentFirstWithWhatTheyHoldAndNoOtherPrefixLeaksIn() {
        String prefix = "list:" + UUID.randomUUID() + "_%*:";
        BudgetCheck small = new BudgetCheck(prefix + "a", Budget.Period.TOTAL, new BigDecimal("10"));
        BudgetCheck large = new BudgetCheck(prefix + "b", Budget.Period.TOTAL, new BigDecimal("10"));
        // what a wildcard taken as one would match: LIKE's _ and %, a glob's *
        BudgetCheck likeWise = new BudgetCheck(prefix.replace("_%*", "ab*") + "c", Budget.Period.TOTAL, new BigDecimal("10"));
        BudgetCheck globWise = new BudgetCheck(prefix.replace("_%*", "_%Z") + "c", Budget.Period.TOTAL, new BigDecimal("10"));
        BudgetStore.Hold first = hold("1", Duration.ofMinutes(5), small);
        reserve(first);
        settle(first, "0.25");
        reserve(hold("2", Duration.ofMinutes(5), large)); // still in flight
        BudgetStore.Hold done = hold("3", Duration.ofMinutes(5), large);
        reserve(done);
        settle(done, "3");
        reserve(hold("1", Duration.ofMinutes(5), likeWise, globWise));

        List<BudgetStore.Counter> listed = store().counters(prefix, List.of(), 10).toCompletableFuture().join();
        assertThat(listed).extracting(BudgetStore.Counter::name).as("LIKE's and SCAN's wildcards in a name match only themselves")
                .containsExactly(large.counter(), small.counter());
        assertThat(listed.getFirst().spent()).isEqualByComparingTo("3");
        assertThat(listed.getFirst().reserved()).isEqualByComparingTo("2");
        assertThat(listed.get(1).spent()).isEqualByComparingTo("0.25");
        assertThat(store().counters(prefix, List.of(), 1).toCompletableFuture().join()).hasSize(1);
        // by the period their names end with: a past period's counter, however much it spent, crowds out no current one
        assertThat(store().counters(prefix, List.of(":a", "_%*:c"), 10).toCompletableFuture().join()).extracting(BudgetStore.Counter::name)
                .containsExactly(small.counter());
    }
}
