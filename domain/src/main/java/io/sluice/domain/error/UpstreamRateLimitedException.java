package io.sluice.domain.error;

import java.time.Duration;

/** The upstream answered 429. {@link #retryAfter()} holds its {@code Retry-After} when it sent one. */
public class UpstreamRateLimitedException extends RetriableException {
    public UpstreamRateLimitedException(String message, Duration retryAfter) {
        super(message, retryAfter, null);
    }

    @Override
    public String code() {
        return "rate_limit_exceeded";
    }
}
