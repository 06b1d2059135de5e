package io.sluice.ports.out;

import io.sluice.domain.Require;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Upstream API keys added at runtime (through the admin API), kept sealed: the store holds only what the gateway's
 * secrets key opens. Every replica reads them and uses them beside its configured keys. Implementations are thread-safe.
 */
public interface UpstreamKeyStore {
    /** A key of {@code endpoint} by its {@code label}, sealed; its requests and tokens per minute (0: no limit). */
    record StoredKey(String endpoint, String label, String sealed, int rpm, long tpm, Instant createdAt) {
        public StoredKey {
            Require.nonBlank(endpoint, "endpoint");
            Require.nonBlank(label, "label");
            Require.nonBlank(sealed, "sealed");
            Require.nonNull(createdAt, "createdAt");
        }
    }

    CompletionStage<Void> save(StoredKey key);

    /** Whether a key was there to delete. */
    CompletionStage<Boolean> delete(String endpoint, String label);

    CompletionStage<List<StoredKey>> all();

    /** How many times an operator enabled a key of {@code endpoint} again, configured or stored. */
    record Enabled(String endpoint, String label, long enables) {}

    /** Counts one more enabling of the key, so that every replica enables it. */
    CompletionStage<Void> enable(String endpoint, String label);

    CompletionStage<List<Enabled>> enabled();
}
