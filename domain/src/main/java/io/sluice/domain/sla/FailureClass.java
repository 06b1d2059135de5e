package io.sluice.domain.sla;

import io.sluice.domain.error.NonRetriableException;
import io.sluice.domain.error.UpstreamAuthenticationException;
import io.sluice.domain.error.UpstreamRateLimitedException;
import io.sluice.domain.error.UpstreamTimeoutException;
import io.sluice.domain.error.UpstreamUnavailableException;

/** What to do after an upstream attempt failed: the retry table. */
public enum FailureClass {
    /** 408, 500, 502, 504, timeouts, resets: try again at once, preferably elsewhere. */
    RETRY_NOW,
    /** 429, 503 and 529 (overloaded): try again after Retry-After (capped) or a backoff; the key or endpoint rests meanwhile. */
    RETRY_LATER,
    /** 401 and 403: this key is refused; disable it and use another. */
    SWITCH_KEY,
    /** 400, 404, 409, 413, 422 and the gateway's own refusals: the same request will fail again. */
    NEVER;

    public static FailureClass of(Throwable failure) {
        return switch (failure) {
            case UpstreamAuthenticationException e -> SWITCH_KEY;
            case UpstreamRateLimitedException e -> RETRY_LATER;
            case UpstreamUnavailableException e -> e.status() == 503 || e.status() == 529 ? RETRY_LATER : RETRY_NOW;
            case UpstreamTimeoutException e -> RETRY_NOW;
            case NonRetriableException e -> NEVER;
            default -> NEVER;
        };
    }
}
