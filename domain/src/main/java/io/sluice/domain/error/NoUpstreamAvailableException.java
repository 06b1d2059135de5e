package io.sluice.domain.error;

/**
 * No endpoint of the model can take a request within the call's deadline: every circuit is open, or every key is
 * cooling down, over its budget or disabled.
 */
public class NoUpstreamAvailableException extends RetriableException {
    public NoUpstreamAvailableException(String message) {
        super(message, null, null);
    }

    @Override
    public String code() {
        return "no_upstream_available";
    }
}
