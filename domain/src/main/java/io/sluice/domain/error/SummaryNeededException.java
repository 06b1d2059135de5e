package io.sluice.domain.error;

/**
 * The messages that no summary covers do not fit the window: the rolling-summary strategy must summarize before this
 * call can go upstream. The engine handles it; a client only sees it if summarizing failed.
 */
public class SummaryNeededException extends ContextLengthExceededException {
    public SummaryNeededException(String message) {
        super(message);
    }
}
