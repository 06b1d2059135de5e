package io.sluice.http.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ports.out.UpstreamQuota;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UpstreamQuotasTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final long T = 1_000_000_000L;

    @Test
    void openAisHeadersGiveWhatIsLeftAndWhenItResets() {
        UpstreamQuota q = UpstreamQuotas.read(MultiMap.caseInsensitiveMultiMap().add("x-ratelimit-remaining-requests", "0")
                .add("x-ratelimit-reset-requests", "1.5s").add("x-ratelimit-remaining-tokens", "149984")
                .add("x-ratelimit-reset-tokens", "6m0s"), T, NOW);
        assertThat(q.remainingRequests()).isZero();
        assertThat(q.remainingTokens()).isEqualTo(149_984);
        assertThat(q.requestsResetAt()).isEqualTo(T + Duration.ofMillis(1500).toNanos());
        assertThat(q.tokensResetAt()).as("capped at a minute").isEqualTo(T + UpstreamQuotas.MAX_RESET.toNanos());
        assertThat(q.readyAt(T, 0)).isEqualTo(T + Duration.ofMillis(1500).toNanos());
    }

    @Test
    void anthropicsHeadersGiveTheResetAsATime() {
        UpstreamQuota q = UpstreamQuotas.read(MultiMap.caseInsensitiveMultiMap().add("anthropic-ratelimit-requests-remaining", "12")
                .add("anthropic-ratelimit-requests-reset", "2026-12-03T10:00:20Z").add("anthropic-ratelimit-tokens-remaining", "0")
                .add("anthropic-ratelimit-tokens-reset", "2026-12-03T10:00:03Z"), T, NOW);
        assertThat(q.remainingRequests()).isEqualTo(12);
        assertThat(q.requestsResetAt()).isEqualTo(T + Duration.ofSeconds(20).toNanos());
        assertThat(q.readyAt(T, 0)).as("no tokens left until 10:00:03").isEqualTo(T + Duration.ofSeconds(3).toNanos());
    }

    @Test
    void missingOrMalformedHeadersSayNothing() {
        assertThat(UpstreamQuotas.read(MultiMap.caseInsensitiveMultiMap(), T, NOW).known()).isFalse();
        UpstreamQuota garbage = UpstreamQuotas.read(MultiMap.caseInsensitiveMultiMap().add("x-ratelimit-remaining-requests", "lots")
                .add("x-ratelimit-remaining-tokens", "0").add("x-ratelimit-reset-tokens", "soon"), T, NOW);
        assertThat(garbage.remainingRequests()).isEqualTo(-1);
        assertThat(garbage.readyAt(T, 0)).as("a reset it cannot read holds the key for no time").isEqualTo(T);
        assertThat(UpstreamQuotas.read(MultiMap.caseInsensitiveMultiMap().add("x-ratelimit-remaining-requests", "9".repeat(400)), T, NOW).known())
                .isFalse();
    }
}
