package io.sluice.engine.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.domain.budget.Budget;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.ports.in.Budgets;
import io.sluice.ports.out.ApiKeyStore;
import io.sluice.ports.out.BudgetStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The budgets report: current periods only, each cap from where it is set, and when spend at its pace reaches it. */
class BudgetReportTest {
    private static final Instant NOON = Instant.parse("2026-12-04T12:00:00Z");

    private static BudgetStore.Counter counter(String name, String spent, String reserved) {
        return new BudgetStore.Counter(name, new BigDecimal(spent), new BigDecimal(reserved));
    }

    private static BudgetStore store(List<BudgetStore.Counter> counters) {
        return new UnusedBudgetStore() {
            @Override
            public CompletionStage<List<Counter>> counters(String prefix, List<String> suffixes, int max) {
                return CompletableFuture.completedFuture(counters.stream().filter(c -> c.name().startsWith(prefix))
                        .filter(c -> suffixes.isEmpty() || suffixes.stream().anyMatch(c.name()::endsWith)).limit(max).toList());
            }
        };
    }

    private static final ApiKeyStore NO_KEYS = (ApiKeyStore) java.lang.reflect.Proxy.newProxyInstance(ApiKeyStore.class.getClassLoader(),
            new Class<?>[] {ApiKeyStore.class}, (proxy, method, args) -> CompletableFuture.completedFuture(Optional.empty()));

    private static List<Budgets.Status> report(List<Budget> configured, BudgetStore.Counter... counters) {
        return new BudgetReport(configured, store(List.of(counters)), NO_KEYS, Clock.fixed(NOON, ZoneOffset.UTC)).all(null, 100)
                .toCompletableFuture().join();
    }

    @Test
    void aCapRunsOutWhenItsPaceSaysWithinThePeriodAndNeverPastItsEnd() {
        List<Budget> daily = List.of(new Budget(Budget.Scope.KEY, Budget.Period.DAY, new BigDecimal("1")));
        // 0.6 spent in the first half of the day: the 0.4 left lasts 8 hours at that pace
        assertThat(report(daily, counter("key:acme:day:2026-12-04", "0.6", "0")).getFirst().projectedExhaustion())
                .contains(Instant.parse("2026-12-04T20:00:00Z"));
        // 0.4 spent by noon: at that pace the day ends first
        assertThat(report(daily, counter("key:acme:day:2026-12-04", "0.4", "0")).getFirst().projectedExhaustion()).isEmpty();
        // what calls in flight hold counts as used: the cap is out now
        assertThat(report(daily, counter("key:acme:day:2026-12-04", "0.5", "0.5")).getFirst().projectedExhaustion()).contains(NOON);
        // nothing spent yet: no pace
        assertThat(report(daily, counter("key:acme:day:2026-12-04", "0", "0.2")).getFirst().projectedExhaustion()).isEmpty();
    }

    @Test
    void pastPeriodsUnknownScopesAndCapsNoLongerConfiguredAreLeftOutAndSubjectsMayHoldColons() {
        List<Budget> configured = List.of(new Budget(Budget.Scope.USER, Budget.Period.MONTH, new BigDecimal("5")),
                new Budget(Budget.Scope.GLOBAL, Budget.Period.TOTAL, new BigDecimal("100")));
        List<Budgets.Status> listed = report(configured,
                counter("user:acme/a:b:month:2026-12", "1", "0"),
                counter("user:acme/u1:month:2026-11", "4", "0"),     // last month's
                counter("key:acme:day:2026-12-04", "1", "0"),        // no key budget is configured
                counter("test:x:total", "1", "0"),                   // no scope of a budget
                counter("global:total", "2", "0"));
        assertThat(listed).extracting(Budgets.Status::budget).containsExactly("user:acme/a:b:month:2026-12", "global:total");
        assertThat(listed.getFirst().subject()).isEqualTo("acme/a:b");
        assertThat(listed.getFirst().periodEnd()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(listed.get(1).subject()).isEmpty();
        assertThat(listed.get(1).projectedExhaustion()).as("a total has no pace").isEmpty();
    }

    @Test
    void aScopeOrLimitOutOfRangeIsRefused() {
        BudgetReport report = new BudgetReport(List.of(), store(List.of()), NO_KEYS, Clock.fixed(NOON, ZoneOffset.UTC));
        assertThatThrownBy(() -> report.all("everyone", 10)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("scope");
        assertThatThrownBy(() -> report.all(null, 0)).isInstanceOf(InvalidRequestException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> report.all(null, Budgets.MAX_LISTED + 1)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void aKeysOwnReportHoldsNoOtherOwnerWhoseNameMerelyStartsWithItsOwn() {
        List<Budget> daily = List.of(new Budget(Budget.Scope.KEY, Budget.Period.DAY, new BigDecimal("1")));
        BudgetReport report = new BudgetReport(daily, store(List.of(counter("key:acme:day:2026-12-04", "0.1", "0"),
                counter("key:acme:eu:day:2026-12-04", "0.9", "0"))), NO_KEYS, Clock.fixed(NOON, ZoneOffset.UTC));
        assertThat(report.own(new io.sluice.ports.in.Caller("acme", null), 100).toCompletableFuture().join())
                .extracting(Budgets.Status::budget).containsExactly("key:acme:day:2026-12-04");
    }

    /** Owner "a/b" with user "c" and owner "a" with user "b/c" once shared one counter, and "a" saw both in its report. */
    @Test
    void ownersAndUsersWhoseNamesHoldSeparatorsKeepCountersOfTheirOwn() {
        Budget perUser = new Budget(Budget.Scope.USER, Budget.Period.DAY, new BigDecimal("1"));
        String ab = perUser.checkFor("a/b", "c", null, NOON).orElseThrow().counter();
        String a = perUser.checkFor("a", "b/c", null, NOON).orElseThrow().counter();
        assertThat(ab).isNotEqualTo(a);
        assertThat(new Budget(Budget.Scope.KEY, Budget.Period.DAY, BigDecimal.ONE).checkFor("acme:eu", null, null, NOON).orElseThrow().counter())
                .doesNotStartWith("key:acme:");

        BudgetReport report = new BudgetReport(List.of(perUser), store(List.of(counter(ab, "0.5", "0"), counter(a, "0.1", "0"))), NO_KEYS,
                Clock.fixed(NOON, ZoneOffset.UTC));
        assertThat(report.own(new io.sluice.ports.in.Caller("a", null), 100).toCompletableFuture().join())
                .extracting(Budgets.Status::budget).containsExactly(a);
        assertThat(report.own(new io.sluice.ports.in.Caller("a/b", null), 100).toCompletableFuture().join())
                .extracting(Budgets.Status::budget).containsExactly(ab);
    }
}
