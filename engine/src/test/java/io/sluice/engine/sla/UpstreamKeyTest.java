package io.sluice.engine.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A key's budgets: a request is never let through on a key known to be over its limit. */
class UpstreamKeyTest {
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    @Test
    void aTokenBudgetRefusesWhatWouldGoOverItUntilTheMinuteHasPassed() {
        UpstreamKey key = new UpstreamKey("k", null, 0, 1_000);
        long t0 = 1_000_000_000L;
        assertThat(key.tryAcquire(t0, 600)).isTrue();
        assertThat(key.tryAcquire(t0 + 1, 600)).as("600 + 600 > 1000").isFalse();
        assertThat(key.readyAt(t0 + 1, 600)).isEqualTo(t0 + MINUTE);
        assertThat(key.tryAcquire(t0 + 2, 400)).as("exactly the budget").isTrue();
        assertThat(key.tryAcquire(t0 + MINUTE, 600)).as("the first request's tokens have expired").isTrue();
    }

    @Test
    void theActualUsageReplacesTheEstimate() {
        UpstreamKey key = new UpstreamKey("k", null, 0, 1_000);
        long t0 = 5_000_000_000L;
        assertThat(key.tryAcquire(t0, 900)).isTrue();
        key.settle(t0 + 10, 900, 150);
        assertThat(key.tryAcquire(t0 + 20, 800)).as("150 used, 800 more fits").isTrue();
        key.settle(t0 + 30, 800, 1_200);
        assertThat(key.tryAcquire(t0 + 40, 1)).as("the reply used more than estimated: over budget").isFalse();
    }

    /** A provider whose upstream last said {@code quota}. */
    private static io.sluice.ports.out.LlmProvider saying(java.util.concurrent.atomic.AtomicReference<io.sluice.ports.out.UpstreamQuota> quota) {
        return new io.sluice.ports.out.LlmProvider() {
            public String name() {
                return "p";
            }

            public java.util.concurrent.CompletionStage<io.sluice.domain.ChatResponse> complete(io.sluice.domain.ChatRequest request) {
                throw new UnsupportedOperationException();
            }

            public java.util.concurrent.Flow.Publisher<io.sluice.domain.ChatChunk> stream(io.sluice.domain.ChatRequest request) {
                throw new UnsupportedOperationException();
            }

            public io.sluice.ports.out.UpstreamQuota quota(String upstreamModel) {
                return "gpt-4o".equals(upstreamModel) ? quota.get() : io.sluice.ports.out.UpstreamQuota.UNKNOWN;
            }

            public void close() {}
        };
    }

    @Test
    void aKeyTheUpstreamSaysIsSpentRestsUntilTheResetItNamed() {
        long t0 = 7_000_000_000L;
        var said = new java.util.concurrent.atomic.AtomicReference<>(new io.sluice.ports.out.UpstreamQuota(1, 5_000, t0 + 1_000, t0 + 2_000));
        UpstreamKey key = new UpstreamKey("k", saying(said), 0, 0);
        assertThat(key.tryAcquire(t0, 0, "gpt-4o")).as("one request left").isTrue();
        said.set(new io.sluice.ports.out.UpstreamQuota(0, 5_000, t0 + 1_000, t0 + 2_000));
        assertThat(key.tryAcquire(t0 + 1, 0, "gpt-4o")).as("no request left").isFalse();
        assertThat(key.tryAcquire(t0 + 1, 0, "gpt-4o-mini")).as("another model's limit is its own").isTrue();
        assertThat(key.readyAt(t0 + 1, 0, "gpt-4o")).isEqualTo(t0 + 1_000);
        assertThat(key.tryAcquire(t0 + 1_000, 0, "gpt-4o")).as("past the reset, the old word no longer holds").isTrue();

        said.set(new io.sluice.ports.out.UpstreamQuota(-1, 300, 0, t0 + 5_000));
        assertThat(key.tryAcquire(t0 + 2_000, 200, "gpt-4o")).as("300 tokens left, 200 asked").isTrue();
        assertThat(key.tryAcquire(t0 + 2_001, 400, "gpt-4o")).as("400 asked").isFalse();
        assertThat(key.readyAt(t0 + 2_001, 400, "gpt-4o")).isEqualTo(t0 + 5_000);
        said.set(io.sluice.ports.out.UpstreamQuota.UNKNOWN);
        assertThat(key.tryAcquire(t0 + 2_002, 400, "gpt-4o")).as("an upstream that says nothing stops nothing").isTrue();
    }

    @Test
    void aRequestLargerThanTheWholeBudgetGoesOnlyOnAnIdleKey() {
        UpstreamKey key = new UpstreamKey("k", null, 0, 1_000);
        assertThat(key.tryAcquire(0, 5_000)).isTrue();
        assertThat(key.tryAcquire(1, 5_000)).isFalse();
    }

    @Test
    void requestsPerMinuteCoolingAndDisablingAllStopAKey() {
        UpstreamKey key = new UpstreamKey("k", null, 2, 0);
        assertThat(key.tryAcquire(0, 0)).isTrue();
        assertThat(key.tryAcquire(1, 0)).isTrue();
        assertThat(key.tryAcquire(2, 0)).isFalse();
        assertThat(key.tryAcquire(MINUTE, 0)).isTrue();
        key.coolFor(Duration.ofSeconds(1), MINUTE);
        assertThat(key.tryAcquire(MINUTE + 1, 0)).isFalse();
        assertThat(key.readyAt(MINUTE + 1, 0)).isEqualTo(MINUTE + Duration.ofSeconds(1).toNanos());
        key.disable(3 * MINUTE);
        assertThat(key.tryAcquire(3 * MINUTE + 1, 0)).isFalse();
        assertThat(key.readyAt(3 * MINUTE, 0)).isEqualTo(3 * MINUTE + UpstreamKey.FIRST_DISABLE.toNanos());
    }

    @Test
    void aDisabledKeyIsTriedAgainAfterACoolDownThatDoublesWithEachRefusalInARow() {
        UpstreamKey key = new UpstreamKey("k", null, 0, 0);
        long first = UpstreamKey.FIRST_DISABLE.toNanos();
        key.disable(0);
        assertThat(key.disabled(first - 1)).isTrue();
        assertThat(key.tryAcquire(first, 0)).as("tried again after the first cool-down").isTrue();

        key.disable(first);
        assertThat(key.disabledFor(first)).isEqualTo(UpstreamKey.FIRST_DISABLE.multipliedBy(2));
        key.disable(first * 3);
        assertThat(key.disabledFor(first * 3)).isEqualTo(UpstreamKey.FIRST_DISABLE.multipliedBy(4));
        for (int i = 0; i < 20; i++) key.disable(0);
        assertThat(key.disabledFor(0)).as("capped").isEqualTo(UpstreamKey.MAX_DISABLE);

        key.accepted();
        key.disable(0);
        assertThat(key.disabledFor(0)).as("a key the upstream took starts afresh").isEqualTo(UpstreamKey.FIRST_DISABLE);
    }

    @Test
    void anOperatorEnablesADisabledKeyAtOnce() {
        UpstreamKey key = new UpstreamKey("k", null, 0, 0);
        key.disable(0);
        key.disable(0);

        key.enable();

        assertThat(key.disabled(1)).isFalse();
        assertThat(key.tryAcquire(1, 0)).isTrue();
        key.disable(2);
        assertThat(key.disabledFor(2)).as("the backoff starts afresh too").isEqualTo(UpstreamKey.FIRST_DISABLE);
    }

    @Test
    void aRequestThatWillNotBeSentHandsItsShareOfTheBudgetsBack() {
        UpstreamKey key = new UpstreamKey("k", null, 1, 100);
        assertThat(key.tryAcquire(5, 80)).isTrue();
        assertThat(key.tryAcquire(6, 10)).as("one request a minute").isFalse();

        key.giveBack(5, 80);

        assertThat(key.readyAt(6, 100)).as("the whole minute's budgets are free again").isEqualTo(6);
        assertThat(key.tryAcquire(6, 100)).isTrue();
    }
}
