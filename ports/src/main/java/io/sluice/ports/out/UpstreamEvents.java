package io.sluice.ports.out;

/** What the engine reports about its upstream attempts, for metrics. Implementations are thread-safe and fast. */
public interface UpstreamEvents {
    /** An attempt failed and the call will try again; {@code reason} is the retry-table class, e.g. {@code retry_now}. */
    void retried(String model, String endpoint, String reason);

    UpstreamEvents NONE = (model, endpoint, reason) -> { };
}
