package io.sluice.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.limits.Limit;
import io.sluice.domain.limits.LimitCheck;
import io.sluice.domain.limits.LimitDecision;
import io.sluice.ports.out.LimitCounters;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link LimitCounters} must do. Each test uses scopes of its own. */
public abstract class LimitCountersContract {
    protected abstract LimitCounters counters();

    private static String scope() {
        return "test:" + UUID.randomUUID();
    }

    private LimitDecision acquire(LimitCheck... checks) {
        return counters().acquire(List.of(checks)).toCompletableFuture().join();
    }

    @Test
    void aRequestLimitLetsItsNumberThroughThenRefusesWithTheWaitAndTheRemainder() {
        LimitCheck request = new LimitCheck(new Limit(scope(), Limit.Kind.REQUESTS, 60), 1);
        for (int i = 0; i < 60; i++) assertThat(acquire(request).allowed()).as("request %d", i + 1).isTrue();

        LimitDecision refused = acquire(request);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.limit()).isEqualTo(request.limit());
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(refused.reset()).isGreaterThan(Duration.ofSeconds(58)).isLessThanOrEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aRefusedCallCountsAgainstNoneOfItsLimits() {
        LimitCheck roomy = new LimitCheck(new Limit(scope(), Limit.Kind.REQUESTS, 100), 1);
        LimitCheck tight = new LimitCheck(new Limit(scope(), Limit.Kind.REQUESTS, 1), 1);
        assertThat(acquire(roomy, tight).allowed()).isTrue();
        assertThat(acquire(roomy).remaining()).isEqualTo(98);
        for (int i = 0; i < 5; i++) assertThat(acquire(roomy, tight).allowed()).isFalse();
        assertThat(acquire(roomy).remaining()).as("the refused calls took nothing").isEqualTo(97);
    }

    @Test
    void tokensAreCountedAsEstimatedThenSettledToWhatWasUsed() {
        Limit tpm = new Limit(scope(), Limit.Kind.TOKENS, 1_000);
        assertThat(acquire(new LimitCheck(tpm, 900)).allowed()).isTrue();
        assertThat(acquire(new LimitCheck(tpm, 200)).allowed()).isFalse();
        counters().adjust(new LimitCheck(tpm, 900), -800).toCompletableFuture().join();
        LimitDecision after = acquire(new LimitCheck(tpm, 200));
        assertThat(after.allowed()).as("100 used, 200 more fit").isTrue();
        assertThat(after.remaining()).isBetween(698L, 700L);
    }

    @Test
    void aCostLargerThanTheWholeLimitPassesOnlyAnIdleCounter() {
        Limit tpm = new Limit(scope(), Limit.Kind.TOKENS, 1_000);
        assertThat(acquire(new LimitCheck(tpm, 5_000)).allowed()).isTrue();
        assertThat(acquire(new LimitCheck(tpm, 1)).allowed()).isFalse();
    }
}
