package io.sluice.domain.error;

/**
 * The upstream refused the gateway's own credentials (401 or 403). The caller's request is fine; the gateway's
 * configuration is not. The upstream key never appears in the message.
 */
public class UpstreamAuthenticationException extends NonRetriableException {
    private final int status;

    public UpstreamAuthenticationException(int status) {
        super("The upstream provider refused the gateway's credentials (HTTP " + status + ")", null);
        this.status = status;
    }

    public int status() {
        return status;
    }

    @Override
    public String code() {
        return "upstream_authentication_failed";
    }
}
