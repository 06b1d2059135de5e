package io.sluice.domain.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.domain.budget.BudgetExceededException;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.error.UpstreamTimeoutException;
import io.sluice.domain.error.UpstreamUnavailableException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FallbackReplyTest {
    @Test
    void theTextIsChosenByLocaleThenLanguageThenDefault() {
        FallbackReply reply = new FallbackReply(Map.of("default", "Busy.", "vi", "Bận.", "pt-BR", "Ocupado."), Set.of());
        assertThat(reply.text("vi-VN")).isEqualTo("Bận.");
        assertThat(reply.text("VI")).isEqualTo("Bận.");
        assertThat(reply.text("pt_BR")).isEqualTo("Ocupado.");
        assertThat(reply.text("de")).isEqualTo("Busy.");
        assertThat(reply.text(null)).isEqualTo("Busy.");
        assertThat(new FallbackReply(Map.of("fr", "Occupé.", "en", "Busy."), Set.of()).text("de")).as("no default: English").isEqualTo("Busy.");
    }

    @Test
    void itCoversWhatItIsSetToAndNeverTheCallersOwnMistakes() {
        FallbackReply all = new FallbackReply(Map.of("default", "Busy."), null);
        assertThat(all.on()).containsExactlyInAnyOrder(FallbackReply.Failure.values());
        assertThat(all.covers(new UpstreamTimeoutException("late", null))).isTrue();
        assertThat(all.covers(new InvalidRequestException("bad", "messages"))).isFalse();
        FallbackReply budget = new FallbackReply(Map.of("default", "Busy."), Set.of(FallbackReply.Failure.BUDGET));
        assertThat(budget.covers(new UpstreamUnavailableException(503, "down", null, null))).isFalse();
        assertThat(budget.covers(new BudgetExceededException(new io.sluice.domain.budget.BudgetCheck("global:day", io.sluice.domain.budget.Budget.Period.DAY, java.math.BigDecimal.ONE, io.sluice.domain.usage.SpendFilter.everyone(java.time.Instant.EPOCH, java.time.Instant.EPOCH.plusSeconds(86_400)))))).isTrue();
    }

    @Test
    void anEmptyOrHugeTextOrAnUnknownFailureIsRefused() {
        assertThatThrownBy(() -> new FallbackReply(Map.of(), null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FallbackReply(Map.of("default", " "), null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FallbackReply(Map.of("default", "x".repeat(4_001)), null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FallbackReply.Failure.named("timeout")).hasMessageContaining("all_failed, deadline, budget or rate_limited");
        assertThat(FallbackReply.Failure.named(" Rate_Limited ")).isEqualTo(FallbackReply.Failure.RATE_LIMITED);
    }
}
