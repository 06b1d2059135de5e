package io.sluice.engine.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.budget.Budget;
import io.sluice.domain.budget.BudgetCheck;
import io.sluice.domain.usage.SpendFilter;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.domain.usage.UsageQuery;
import io.sluice.domain.usage.UsageTotal;
import io.sluice.ports.in.Caller;
import io.sluice.ports.out.BudgetStore;
import io.sluice.ports.out.UsageLedger;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Counters a store does not know yet are built before they admit a call; a new conversation's without a ledger read. */
class BudgetGuardTest {
    /** A store that knows no counter until it is built, as Redis after a flush or at a new period. */
    private static class ForgetfulStore implements BudgetStore {
        final Map<String, BigDecimal> built = new ConcurrentHashMap<>();

        public CompletionStage<Reservation> reserve(Hold hold) {
            for (BudgetCheck c : hold.checks()) {
                if (!built.containsKey(c.counter())) return CompletableFuture.completedFuture(new Reservation(Outcome.MISSING, c));
            }
            return CompletableFuture.completedFuture(new Reservation(Outcome.RESERVED, null));
        }

        public CompletionStage<Void> rebuild(BudgetCheck check, BigDecimal spent, Instant asOf) {
            built.putIfAbsent(check.counter(), spent);
            return CompletableFuture.completedFuture(null);
        }

        public CompletionStage<Void> settle(Hold hold, BigDecimal actual, Instant billedAt) {
            return CompletableFuture.completedFuture(null);
        }

        public CompletionStage<List<String>> expired(Instant now, int max) {
            return CompletableFuture.completedFuture(List.of());
        }

        public CompletionStage<Void> expire(String holdId, BigDecimal billed) {
            return CompletableFuture.completedFuture(null);
        }

        public CompletionStage<BigDecimal> spent(String counter) {
            return CompletableFuture.completedFuture(built.getOrDefault(counter, BigDecimal.ZERO));
        }

        public CompletionStage<BigDecimal> reserved(String counter) {
            return CompletableFuture.completedFuture(BigDecimal.ZERO);
        }

        public CompletionStage<List<BudgetStore.Counter>> counters(String prefix, List<String> suffixes, int max) {
            return CompletableFuture.completedFuture(List.of());
        }
    }

    /** A ledger that counts its spend reads and says each counter's period billed $0.25. */
    private static final class CountingLedger implements UsageLedger {
        final AtomicInteger reads = new AtomicInteger();

        public CompletionStage<Void> record(List<UsageEntry> entries) {
            return CompletableFuture.completedFuture(null);
        }

        public CompletionStage<List<UsageTotal>> totals(UsageQuery query) {
            return CompletableFuture.completedFuture(List.of());
        }

        public CompletionStage<BigDecimal> spent(SpendFilter filter) {
            reads.incrementAndGet();
            return CompletableFuture.completedFuture(new BigDecimal("0.25"));
        }

        public CompletionStage<Map<String, BigDecimal>> billed(Collection<String> requestIds) {
            return CompletableFuture.completedFuture(Map.of());
        }
    }

    private final ForgetfulStore store = new ForgetfulStore();
    private final CountingLedger ledger = new CountingLedger();
    private final BudgetGuard guard = new BudgetGuard(List.of(new Budget(Budget.Scope.CONVERSATION, Budget.Period.TOTAL, BigDecimal.ONE),
            new Budget(Budget.Scope.GLOBAL, Budget.Period.DAY, BigDecimal.TEN)), store, ledger, Clock.systemUTC(), Duration.ofMinutes(1));

    private void reserve(String conversation, boolean newConversation) {
        guard.reserve(new Caller("acme", null), conversation, newConversation, new BigDecimal("0.01"),
                System.nanoTime() + Duration.ofSeconds(5).toNanos(), "req_" + conversation).toCompletableFuture().join();
    }

    @Test
    void aConversationThisCallStartsIsBuiltAtZeroWithoutReadingTheLedger() {
        reserve("conv_new", true);
        assertThat(store.built.get("conversation:conv_new:total")).isEqualByComparingTo("0");
        assertThat(ledger.reads).as("only the day's global counter was read from the ledger").hasValue(1);
        assertThat(store.built).hasSize(2).containsKey("global:" + Budget.window(Budget.Period.DAY, Instant.now()));
    }

    @Test
    void anExistingConversationsLostCounterIsRebuiltFromTheLedger() {
        reserve("conv_old", false);
        assertThat(store.built.get("conversation:conv_old:total")).isEqualByComparingTo("0.25");
        assertThat(ledger.reads).hasValue(2);
    }

    /** A store that cannot be reached, as Redis while it is down. */
    private static final class UnreachableStore extends ForgetfulStore {
        @Override
        public CompletionStage<Reservation> reserve(Hold hold) {
            return CompletableFuture.failedFuture(new io.sluice.domain.error.SharedStoreUnavailableException("Redis is unreachable", null));
        }
    }

    private static CompletableFuture<BudgetGuard.Hold> reserveOn(BudgetGuard guard) {
        return guard.reserve(new Caller("acme", null), "conv_x", false, new BigDecimal("0.01"), System.nanoTime() + Duration.ofSeconds(5).toNanos(),
                "req_x").toCompletableFuture();
    }

    @Test
    void whileTheCountersCannotBeReachedACallIsRefusedAsUnavailableByDefault() {
        BudgetGuard closed = new BudgetGuard(List.of(new Budget(Budget.Scope.GLOBAL, Budget.Period.DAY, BigDecimal.TEN)), new UnreachableStore(),
                ledger, Clock.systemUTC(), Duration.ofMinutes(1));

        assertThat(reserveOn(closed)).failsWithin(Duration.ofSeconds(1)).withThrowableThat()
                .havingRootCause().isInstanceOf(io.sluice.domain.error.SharedStoreUnavailableException.class);
        assertThat(reserveOn(closed).handle((ok, e) -> io.sluice.domain.error.Failures.cause(e)).join())
                .isInstanceOf(io.sluice.domain.budget.BudgetsUnavailableException.class);
    }

    @Test
    void failingOpenACallIsLetThroughUncheckedWhileTheCountersCannotBeReached() {
        BudgetGuard open = new BudgetGuard(List.of(new Budget(Budget.Scope.GLOBAL, Budget.Period.DAY, BigDecimal.TEN)), new UnreachableStore(),
                ledger, Clock.systemUTC(), Duration.ofMinutes(1), true);

        BudgetGuard.Hold hold = reserveOn(open).join();

        assertThat(hold.settle(BigDecimal.ONE, Instant.now())).as("nothing held, nothing to settle").succeedsWithin(Duration.ofSeconds(1));
    }
}
