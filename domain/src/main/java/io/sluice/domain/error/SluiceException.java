package io.sluice.domain.error;

/**
 * The root of the gateway's exceptions. Every failure a caller can see is one of its two branches,
 * split by whether trying again can help: {@link RetriableException} and {@link NonRetriableException};
 * or an {@link UnsupportedFeatureException}. Messages are safe to show to a client: no secrets, no stack traces.
 */
public abstract class SluiceException extends RuntimeException {
    protected SluiceException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A short machine-readable code, as in OpenAI's {@code error.code}. */
    public abstract String code();

    private volatile String upstreamRequestId;

    /** Notes the upstream's own id of the request that failed (its support asks for it); returns this. */
    public SluiceException withUpstreamRequestId(String id) {
        this.upstreamRequestId = id;
        return this;
    }

    /** The upstream's id of the request that failed, when this failure came from an upstream's answer that had one. */
    public java.util.Optional<String> upstreamRequestId() {
        return java.util.Optional.ofNullable(upstreamRequestId);
    }
}
