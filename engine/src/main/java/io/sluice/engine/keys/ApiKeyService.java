package io.sluice.engine.keys;

import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.error.KeyNotFoundException;
import io.sluice.domain.keys.ApiKey;
import io.sluice.domain.keys.KeyPolicy;
import io.sluice.domain.keys.KeySecrets;
import io.sluice.ports.in.ApiKeys;
import io.sluice.ports.out.ApiKeyStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link ApiKeys} on a store. Every request reads the key from the store, so a revoked key is refused from the very
 * next request on every replica; the read is one indexed lookup by hash. Thread-safe.
 */
public final class ApiKeyService implements ApiKeys {
    private final ApiKeyStore store;
    private final Clock clock;

    public ApiKeyService(ApiKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Issued> create(String owner, String name, KeyPolicy policy) {
        if (owner == null || owner.isBlank()) return CompletableFuture.failedFuture(new InvalidRequestException("'owner' is required", "owner"));
        ApiKey key;
        try {
            key = new ApiKey(KeySecrets.newId(), owner.strip(), name, clock.instant(), Optional.empty(), policy);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new InvalidRequestException(e.getMessage(), null));
        }
        String secret = KeySecrets.newSecret();
        return store.create(key, KeySecrets.hash(secret)).thenApply(done -> new Issued(key, secret));
    }

    @Override
    public CompletionStage<List<ApiKey>> list() {
        return store.list();
    }

    @Override
    public CompletionStage<ApiKey> setPolicy(String id, KeyPolicy policy) {
        return store.setPolicy(id, policy).thenCompose(found -> reread(id, found));
    }

    @Override
    public CompletionStage<ApiKey> revoke(String id) {
        return store.revoke(id, clock.instant()).thenCompose(found -> reread(id, found));
    }

    private CompletionStage<ApiKey> reread(String id, boolean found) {
        if (!found) return CompletableFuture.failedFuture(new KeyNotFoundException(id));
        return store.find(id).thenApply(java.util.Optional::orElseThrow);
    }

    @Override
    public CompletionStage<Optional<ApiKey>> authenticate(String secret) {
        if (secret == null || !secret.startsWith(KeySecrets.PREFIX)) return CompletableFuture.completedFuture(Optional.empty());
        return store.findByHash(KeySecrets.hash(secret)).thenApply(found -> found.filter(ApiKey::active));
    }
}
