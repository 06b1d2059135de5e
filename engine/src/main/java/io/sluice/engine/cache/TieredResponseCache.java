package io.sluice.engine.cache;

import io.sluice.ports.out.CachedAnswer;
import io.sluice.ports.out.ResponseCache;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * This replica's memory in front of a store every replica shares (Redis): a lookup tries the memory, then the shared
 * store, and keeps what it found there in memory until it expires; a put goes to both. The shared store's failures are
 * misses and dropped puts, never a failed call. Thread-safe.
 */
public final class TieredResponseCache implements ResponseCache {
    private static final System.Logger LOG = System.getLogger(TieredResponseCache.class.getName());
    private final ResponseCache local;
    private final ResponseCache shared;

    public TieredResponseCache(ResponseCache local, ResponseCache shared) {
        this.local = local;
        this.shared = shared;
    }

    @Override
    public CompletionStage<Optional<CachedAnswer>> get(String key) {
        return local.get(key).thenCompose(found -> {
            if (found.isPresent()) return CompletableFuture.completedFuture(found);
            return safely(() -> shared.get(key)).handle((remote, error) -> {
                if (error != null) {
                    LOG.log(System.Logger.Level.DEBUG, "shared response cache read failed: " + io.sluice.domain.error.Failures.cause(error).getClass().getSimpleName());
                    return Optional.<CachedAnswer>empty();
                }
                remote.ifPresent(answer -> local.put(key, answer));
                return remote;
            });
        });
    }

    @Override
    public CompletionStage<Void> put(String key, CachedAnswer answer) {
        local.put(key, answer);
        return safely(() -> shared.put(key, answer)).exceptionally(error -> null);
    }

    private static <T> CompletionStage<T> safely(java.util.function.Supplier<CompletionStage<T>> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
