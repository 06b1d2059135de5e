package io.sluice.domain.limits;

import io.sluice.domain.error.RetriableException;
import java.time.Duration;

/** A call over one of the gateway's own rate limits: a 429 with Retry-After and OpenAI's x-ratelimit-* headers. */
public class RateLimitExceededException extends RetriableException {
    private final LimitDecision decision;

    public RateLimitExceededException(LimitDecision decision) {
        super("Rate limit reached for " + decision.limit().scope() + ": " + decision.limit().perMinute() + " "
                + decision.limit().kind().header() + " per minute. Please try again in " + seconds(decision.retryAfter()) + "s.",
                decision.retryAfter(), null);
        this.decision = decision;
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }

    public LimitDecision decision() {
        return decision;
    }

    @Override
    public String code() {
        return "rate_limit_exceeded";
    }
}
