package io.sluice.domain.limits;

import java.time.Duration;

/**
 * Whether a call fits its limits; when it does not, the limit it does not fit, how long until it would, how much of
 * that limit is left and when it resets; when it does, the tightest limit's remainder.
 */
public record LimitDecision(boolean allowed, Limit limit, long remaining, Duration retryAfter, Duration reset) {
    public static final LimitDecision UNLIMITED = new LimitDecision(true, null, Long.MAX_VALUE, Duration.ZERO, Duration.ZERO);
}
