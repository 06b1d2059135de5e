package io.sluice.domain.error;

/**
 * The upstream refused the request as invalid (400, 404, 409, 413, 422), or refused its model to the gateway's key
 * (a 403 that names the model): sending it again will not help.
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
        return switch (status) {
            case 404 -> "model_not_found";
            case 403 -> "model_not_allowed";
            default -> "upstream_rejected";
        };
    }
}
