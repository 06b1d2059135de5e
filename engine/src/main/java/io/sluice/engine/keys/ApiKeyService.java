package io.sluice.engine.keys;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.error.KeyNotFoundException;
import io.sluice.domain.keys.ApiKey;
import io.sluice.domain.keys.KeyPolicy;
import io.sluice.domain.keys.KeySecrets;
import io.sluice.ports.in.ApiKeys;
import io.sluice.ports.out.ApiKeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link ApiKeys} on a store. A key that authenticated is remembered for {@code cacheTtl}, so that a busy key costs one
 * store read per period instead of one per request; revoking a key or replacing its policy here forgets it at once,
 * so this process refuses it (or applies the new policy) from the next request, and other replicas within
 * {@code cacheTtl}. With no cache ({@link Duration#ZERO}) every request reads the store. Unknown secrets are never
 * remembered. Thread-safe.
 */
public final class ApiKeyService implements ApiKeys {
    /** Keys remembered at most: more active keys than this only costs more store reads. */
    private static final int CACHED_KEYS = 10_000;

    private final ApiKeyStore store;
    private final Clock clock;
    /** Active keys by secret hash; null without a cache. */
    private final Cache<String, ApiKey> authenticated;

    /** Reads the store on every request. */
    public ApiKeyService(ApiKeyStore store, Clock clock) {
        this(store, clock, Duration.ZERO);
    }

    public ApiKeyService(ApiKeyStore store, Clock clock, Duration cacheTtl) {
        this.store = store;
        this.clock = clock;
        this.authenticated = cacheTtl.isZero() ? null
                : Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(CACHED_KEYS).build();
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
        return store.setPolicy(id, policy).thenCompose(found -> changed(id, found));
    }

    @Override
    public CompletionStage<ApiKey> revoke(String id) {
        return store.revoke(id, clock.instant()).thenCompose(found -> changed(id, found));
    }

    /**
     * After a key was changed in the store: forgets it here, so that its revocation or new policy holds from the next
     * request, and reads it back as it now is.
     */
    private CompletionStage<ApiKey> changed(String id, boolean found) {
        if (authenticated != null) authenticated.asMap().values().removeIf(key -> key.id().equals(id));
        if (!found) return CompletableFuture.failedFuture(new KeyNotFoundException(id));
        return store.find(id).thenApply(java.util.Optional::orElseThrow);
    }

    @Override
    public CompletionStage<Optional<ApiKey>> authenticate(String secret) {
        if (secret == null || !secret.startsWith(KeySecrets.PREFIX)) return CompletableFuture.completedFuture(Optional.empty());
        String hash = KeySecrets.hash(secret);
        ApiKey remembered = authenticated == null ? null : authenticated.getIfPresent(hash);
        if (remembered != null) return CompletableFuture.completedFuture(Optional.of(remembered));
        return store.findByHash(hash).thenApply(found -> {
            Optional<ApiKey> active = found.filter(ApiKey::active);
            if (authenticated != null) active.ifPresent(key -> authenticated.put(hash, key));
            return active;
        });
    }
}
