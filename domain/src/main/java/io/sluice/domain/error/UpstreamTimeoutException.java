package io.sluice.domain.error;

/** The upstream did not answer (or stopped answering) within the allowed time. */
public class UpstreamTimeoutException extends RetriableException {
    public UpstreamTimeoutException(String message, Throwable cause) {
        super(message, null, cause);
    }

    @Override
    public String code() {
        return "upstream_timeout";
    }
}
