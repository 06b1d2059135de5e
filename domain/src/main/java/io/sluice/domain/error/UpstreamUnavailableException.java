package io.sluice.domain.error;

import java.time.Duration;

/**
 * The upstream failed on its side: a 5xx status, or a connection that was refused, reset or closed early.
 * {@code status} is the HTTP status, or 0 when the failure was the connection itself.
 */
public class UpstreamUnavailableException extends RetriableException {
    private final int status;

    public UpstreamUnavailableException(int status, String message, Duration retryAfter, Throwable cause) {
        super(message, retryAfter, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    @Override
    public String code() {
        return status == 0 ? "upstream_connection_failed" : "upstream_error";
    }
}
