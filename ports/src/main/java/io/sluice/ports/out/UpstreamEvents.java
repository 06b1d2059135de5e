package io.sluice.ports.out;

/** What the engine reports about its upstream attempts, for metrics. Implementations are thread-safe and fast. */
public interface UpstreamEvents {
    /** An attempt failed and the call will try again; {@code reason} is the retry-table class, e.g. {@code retry_now}. */
    void retried(String model, String endpoint, String reason);

    /**
     * An attempt at {@code endpoint} failed, retried or not; {@code errorType} says how: {@code rate_limited} (429),
     * {@code unavailable} (503, Anthropic's 529), {@code server_error} (another 5xx), {@code timeout}, {@code connection}
     * or {@code rejected} (the upstream refused the request).
     */
    default void failed(String endpoint, String errorType) {}

    /**
     * An attempt at {@code endpoint} began ({@code +1}: it may first wait for the endpoint's concurrency permit) or is over
     * ({@code -1}: answered, failed, called off; a stream's once its first chunk is in).
     */
    default void inFlight(String endpoint, int change) {}

    UpstreamEvents NONE = (model, endpoint, reason) -> { };
}
