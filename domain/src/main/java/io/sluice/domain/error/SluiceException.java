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
}
