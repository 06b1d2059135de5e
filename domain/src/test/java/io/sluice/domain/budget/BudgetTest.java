package io.sluice.domain.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetTest {
    private static final Instant NOW = Instant.parse("2026-11-23T23:59:59Z");

    @Test
    void eachScopeAndPeriodHasItsOwnCounterAndScopesWithoutAnIdentityDoNotApply() {
        BigDecimal cap = new BigDecimal("5");
        assertThat(new Budget(Budget.Scope.GLOBAL, Budget.Period.TOTAL, cap).checkFor("acme", null, null, NOW).orElseThrow().counter())
                .isEqualTo("global:total");
        assertThat(new Budget(Budget.Scope.KEY, Budget.Period.DAY, cap).checkFor("acme", null, null, NOW).orElseThrow().counter())
                .isEqualTo("key:acme:day:2026-11-23");
        assertThat(new Budget(Budget.Scope.USER, Budget.Period.MONTH, cap).checkFor("acme", "alice", null, NOW).orElseThrow().counter())
                .isEqualTo("user:acme/alice:month:2026-11");
        assertThat(new Budget(Budget.Scope.CONVERSATION, Budget.Period.TOTAL, cap).checkFor("acme", null, "conv_1", NOW).orElseThrow().counter())
                .isEqualTo("conversation:conv_1:total");
        assertThat(new Budget(Budget.Scope.USER, Budget.Period.DAY, cap).checkFor("acme", null, null, NOW)).isEmpty();
        assertThat(new Budget(Budget.Scope.CONVERSATION, Budget.Period.DAY, cap).checkFor("acme", "alice", null, NOW)).isEmpty();
        assertThatThrownBy(() -> new Budget(Budget.Scope.GLOBAL, Budget.Period.DAY, new BigDecimal("-1"))).hasMessageContaining("negative");
    }
}
