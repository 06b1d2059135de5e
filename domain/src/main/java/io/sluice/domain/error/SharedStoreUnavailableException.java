package io.sluice.domain.error;

import java.time.Duration;

/**
 * The store replicas share (Redis) cannot be reached, or did not answer within its short timeout. What depends on it
 * degrades: the context cache is a miss, rate limits fall back to this replica's share, budgets refuse (or, when so
 * configured, let calls through).
 */
public class SharedStoreUnavailableException extends RetriableException {
    public SharedStoreUnavailableException(String message, Throwable cause) {
        super(message, Duration.ofSeconds(1), cause);
    }

    @Override
    public String code() {
        return "shared_store_unavailable";
    }
}
