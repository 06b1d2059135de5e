package io.sluice.domain.error;

/** A change the admin API was asked for kept meeting others made at the same time; the caller may try again. */
public class ConcurrentChangeException extends NonRetriableException {
    public ConcurrentChangeException(String message) {
        super(message, null);
    }

    @Override
    public String code() {
        return "concurrent_change";
    }
}
