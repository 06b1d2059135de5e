package io.sluice.ports.in;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Upstream API keys added and removed at runtime, for operators: kept sealed in the database, used by every replica
 * within a second, beside the configured keys (which stay as they are).
 */
public interface UpstreamKeyAdmin {
    /** A key added: its endpoint, the label it is known by (never the key), its limits, when. */
    record AddedKey(String endpoint, String label, int rpm, long tpm, Instant createdAt) {}

    /**
     * Adds {@code apiKey} to {@code endpoint}, with requests and tokens per minute (0: no limit). Fails with
     * {@link io.sluice.domain.error.EndpointNotFoundException} for an unknown endpoint and
     * {@link io.sluice.domain.error.InvalidRequestException} for a key that is empty, too long or not printable, or when
     * the gateway has no secrets key to seal it with.
     */
    CompletionStage<AddedKey> add(String endpoint, String apiKey, int rpm, long tpm);

    /** Removes a key added at runtime; whether there was one. Configured keys are not removed here. */
    CompletionStage<Boolean> remove(String endpoint, String label);

    /**
     * Enables a key the upstream disabled (a 401 or 403), configured or added at runtime, here at once and on every
     * replica within a second; whether the endpoint has such a key. Fails with
     * {@link io.sluice.domain.error.EndpointNotFoundException} for an unknown endpoint.
     */
    CompletionStage<Boolean> enable(String endpoint, String label);
}
