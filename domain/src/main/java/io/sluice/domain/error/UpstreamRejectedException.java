package io.sluice.domain.error;

/**
 * The upstream refused the request as invalid (400, 404, 409, 413, 422): sending it again will not help.
 * {@code status} is the upstream's HTTP status; the message is the upstream's own, which is about the request.
 */
public class UpstreamRejectedException extends NonRetriableException {
    private final int status;

    public UpstreamRejectedException(int status, String message) {
        super(message, null);
        this.status = status;
    }

    public int status() {
        return status;
    }

    @Override
    public String code() {
        return status == 404 ? "model_not_found" : "upstream_rejected";
    }
}
