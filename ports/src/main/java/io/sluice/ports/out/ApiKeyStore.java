package io.sluice.ports.out;

import io.sluice.domain.keys.ApiKey;
import io.sluice.domain.keys.KeyPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Where the gateway's API keys are kept, by the hash of their secret; the secret itself is never stored. Thread-safe. */
public interface ApiKeyStore {
    CompletionStage<Void> create(ApiKey key, String secretHash);

    /** The key with this secret hash, revoked or not. */
    CompletionStage<Optional<ApiKey>> findByHash(String secretHash);

    /** The key with this id, revoked or not. */
    CompletionStage<Optional<ApiKey>> find(String id);

    CompletionStage<List<ApiKey>> list();

    /** Replaces a key's defaults, limits and budgets; false when there is no such key. */
    CompletionStage<Boolean> setPolicy(String id, KeyPolicy policy);

    /** Revokes a key; false when there is no such key. Revoking twice keeps the first time. */
    CompletionStage<Boolean> revoke(String id, Instant at);
}
