package io.sluice.engine.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.budget.Budget;
import io.sluice.domain.budget.BudgetCheck;
import io.sluice.domain.budget.BudgetThreshold;
import io.sluice.ports.out.BudgetAlerts;
import io.sluice.ports.out.BudgetStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A budget's counter is read after calls settle, at most once an interval, never losing the last settle; each threshold is reported once. */
class BudgetWatchTest {
    private static final BudgetCheck DAY = new BudgetCheck("key:acme:day:2026-12-04", Budget.Period.DAY, new BigDecimal("10"));

    /** A counter store whose spend is set by the test; a read fails while {@code down}. */
    private static class Counter extends UnusedBudgetStore {
        final AtomicReference<BigDecimal> spent = new AtomicReference<>(BigDecimal.ZERO);
        final AtomicInteger reads = new AtomicInteger();
        volatile boolean down;

        @Override
        public CompletionStage<BigDecimal> spent(String counter) {
            reads.incrementAndGet();
            return down ? CompletableFuture.failedFuture(new IllegalStateException("connection refused")) : CompletableFuture.completedFuture(spent.get());
        }
    }

    private final Counter store = new Counter();
    private final List<BudgetThreshold> crossed = new CopyOnWriteArrayList<>();
    private final List<BigDecimal> seen = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final BudgetAlerts alerts = new BudgetAlerts() {
        public void spent(BudgetCheck check, BigDecimal spentUsd) {
            seen.add(spentUsd);
        }

        public void crossed(BudgetThreshold crossing) {
            crossed.add(crossing);
        }

        public void refused(BudgetCheck check) {
            refusals.add(check.counter());
        }
    };
    private final BudgetWatch watch = new BudgetWatch(store, alerts, List.of(80, 100), Duration.ofMillis(200), Clock.systemUTC());

    @Test
    void settlesWithinAnIntervalAreReadAtItsEndAndEachThresholdIsReportedOnce() {
        store.spent.set(new BigDecimal("5"));
        watch.settled(List.of(DAY));
        assertThat(store.reads).hasValue(1);
        store.spent.set(new BigDecimal("8.5"));
        watch.settled(List.of(DAY)); // within the interval: not read now, and not lost
        watch.settled(List.of(DAY));
        assertThat(store.reads).hasValue(1);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(crossed).hasSize(1));
        assertThat(crossed.getFirst().percent()).isEqualTo(80);
        assertThat(crossed.getFirst().id()).isEqualTo("key:acme:day:2026-12-04@80");
        assertThat(crossed.getFirst().spentUsd()).isEqualByComparingTo("8.5");
        assertThat(store.reads).hasValue(2);

        store.spent.set(new BigDecimal("9"));
        Awaitility.await().pollDelay(Duration.ofMillis(250)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            watch.settled(List.of(DAY));
            assertThat(seen).contains(new BigDecimal("9"));
        });
        assertThat(crossed).hasSize(1); // 80% again is not news
    }

    @Test
    void aReadThatFailsIsSkippedAndTheNextSettleReadsAgain() {
        store.down = true;
        store.spent.set(new BigDecimal("10"));
        watch.settled(List.of(DAY));
        assertThat(crossed).isEmpty();
        store.down = false;
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            watch.settled(List.of(DAY));
            assertThat(crossed).extracting(BudgetThreshold::percent).containsExactly(80, 100);
        });
    }

    @Test
    void aBudgetRefusingCallsIsSpentEvenShortOfItsCapAndIsNotReadForEveryRefusal() {
        store.spent.set(new BigDecimal("9.3"));
        watch.refused(DAY);
        assertThat(crossed).extracting(BudgetThreshold::percent).containsExactly(80, 100);
        int reads = store.reads.get();
        for (int i = 0; i < 100; i++) watch.refused(DAY);
        assertThat(store.reads).hasValue(reads);
        assertThat(crossed).hasSize(2);
    }

    @Test
    void aLargeCallRefusedByABudgetStillMostlyFreeIsCountedNotReportedAsSpent() {
        store.spent.set(new BigDecimal("1"));
        watch.refused(DAY);
        assertThat(refusals).containsExactly(DAY.counter());
        assertThat(crossed).isEmpty();
        assertThat(seen).containsExactly(new BigDecimal("1"));
    }

    @Test
    void aReadThatThrowsAtOnceLeavesTheCounterToBeReadAgain() {
        BudgetStore throwing = new Counter() {
            final AtomicInteger calls = new AtomicInteger();

            @Override
            public CompletionStage<BigDecimal> spent(String counter) {
                if (calls.getAndIncrement() == 0) throw new IllegalStateException("pool closed");
                return CompletableFuture.completedFuture(new BigDecimal("9"));
            }
        };
        BudgetWatch watching = new BudgetWatch(throwing, alerts, List.of(80, 100), Duration.ofMillis(100), Clock.systemUTC());
        watching.settled(List.of(DAY));
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            watching.settled(List.of(DAY));
            assertThat(crossed).extracting(BudgetThreshold::percent).containsExactly(80);
        });
    }
}
