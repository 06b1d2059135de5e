package io.sluice.domain.error;

/** A failure that the same call will meet again: the request, the credentials or the target must change. */
public abstract class NonRetriableException extends SluiceException {
    protected NonRetriableException(String message, Throwable cause) {
        super(message, cause);
    }
}
