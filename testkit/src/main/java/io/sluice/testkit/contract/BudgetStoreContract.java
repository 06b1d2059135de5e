package io.sluice.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.budget.Budget;
import io.sluice.domain.budget.BudgetCheck;
import io.sluice.ports.out.BudgetStore;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link BudgetStore} must do. Each test uses counters of its own. */
public abstract class BudgetStoreContract {
    protected abstract BudgetStore store();

    private static BudgetCheck check(String limit) {
        return new BudgetCheck("test:" + UUID.randomUUID(), Budget.Period.TOTAL, new BigDecimal(limit));
    }

    private BudgetStore.Reservation reserve(String amount, BudgetCheck... checks) {
        return store().reserve(List.of(checks), new BigDecimal(amount)).toCompletableFuture().join();
    }

    @Test
    void reservationsFillACapThenWaitForSettlementsAndSettlingFreesWhatWasNotSpent() {
        BudgetCheck cap = check("1.00");
        assertThat(reserve("0.60", cap).outcome()).isEqualTo(BudgetStore.Outcome.RESERVED);
        assertThat(reserve("0.50", cap).outcome()).as("fits once the call in flight settles").isEqualTo(BudgetStore.Outcome.WAIT);
        store().settle(List.of(cap), new BigDecimal("0.60"), new BigDecimal("0.100000001")).toCompletableFuture().join();
        assertThat(store().spent(cap.counter()).toCompletableFuture().join()).isEqualByComparingTo("0.100000001");
        assertThat(reserve("0.50", cap).outcome()).isEqualTo(BudgetStore.Outcome.RESERVED);
        assertThat(reserve("0.899999999", cap).outcome()).isEqualTo(BudgetStore.Outcome.WAIT);
        store().settle(List.of(cap), new BigDecimal("0.50"), BigDecimal.ZERO).toCompletableFuture().join();
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
}
