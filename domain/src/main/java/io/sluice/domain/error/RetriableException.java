package io.sluice.domain.error;

import java.time.Duration;
import java.util.Optional;

/** A failure that may pass if the same call is tried again, possibly after {@link #retryAfter()}. */
public abstract class RetriableException extends SluiceException {
    private final Duration retryAfter;

    protected RetriableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the upstream asked us to wait, when it said so. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
