package io.sluice.domain.error;

/**
 * The upstream refused the request as invalid (400, 404, 409, 413, 422), or refused its model to the gateway's key
 * (a 403 that names the model): sending it again will not help.
 * {@code status} is the upstream's HTTP status; the message is the upstream's own, which is about the request.
 */
public class UpstreamRejectedException extends NonRetriableException {
    private final int status;
    private final String upstreamCode;
    private final String param;

    public UpstreamRejectedException(int status, String message) {
        this(status, message, null, null);
    }

    /**
     * @param upstreamCode the upstream's own {@code error.code} (e.g. {@code invalid_value}), passed to the client; may be null
     * @param param the upstream's {@code error.param}, the field it refused; may be null
     */
    public UpstreamRejectedException(int status, String message, String upstreamCode, String param) {
        super(message, null);
        this.status = status;
        this.upstreamCode = upstreamCode;
        this.param = param;
    }

    public int status() {
        return status;
    }

    /** The request field the upstream refused, as it named it; null when it named none. */
    public String param() {
        return param;
    }

    @Override
    public String code() {
        if (upstreamCode != null) return upstreamCode;
        return switch (status) {
            case 404 -> "not_found";
            case 403 -> "model_not_allowed";
            default -> "upstream_rejected";
        };
    }
}
