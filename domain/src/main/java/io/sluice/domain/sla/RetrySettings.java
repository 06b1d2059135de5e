package io.sluice.domain.sla;

import io.sluice.domain.Require;
import java.time.Duration;

/**
 * How retries are spaced: at most {@code maxAttempts} attempts per call; exponential backoff from {@code baseDelay},
 * capped at {@code maxDelay}, with full jitter; a Retry-After is obeyed up to {@code maxRetryAfter}. Immutable.
 */
public record RetrySettings(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {
    public static final RetrySettings DEFAULTS = new RetrySettings(6, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(10));

    public RetrySettings {
        Require.positive(maxAttempts, "maxAttempts");
        Require.nonNull(baseDelay, "baseDelay");
        Require.nonNull(maxDelay, "maxDelay");
        Require.nonNull(maxRetryAfter, "maxRetryAfter");
    }

    /** Full jitter: uniformly in [0, min(maxDelay, baseDelay * 2^retry)); {@code random} is in [0, 1). */
    public Duration backoff(int retry, double random) {
        long ceiling = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(retry, 20));
        return Duration.ofMillis((long) (ceiling * random));
    }

    /** How long a Retry-After asks to wait, never more than {@code maxRetryAfter}. */
    public Duration retryAfter(Duration asked) {
        return asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked;
    }
}
