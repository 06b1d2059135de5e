package io.sluice.ports.out;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the response cache keeps answers, by a key the engine derives from the scope and the upstream request (a
 * digest: no request text reaches the store's keys). A store that cannot be reached is a miss, and a put it did not take
 * is dropped: the cache only ever saves work, so its failures must never fail a call. Thread-safe.
 */
public interface ResponseCache {
    /** A cache that keeps nothing. */
    ResponseCache NONE = new ResponseCache() {
        @Override
        public CompletionStage<Optional<CachedAnswer>> get(String key) {
            return CompletableFuture.completedFuture(Optional.empty());
        }

        @Override
        public CompletionStage<Void> put(String key, CachedAnswer answer) {
            return CompletableFuture.completedFuture(null);
        }
    };

    /** The answer kept under {@code key} and not yet expired, if any. */
    CompletionStage<Optional<CachedAnswer>> get(String key);

    /** Keeps {@code answer} under {@code key} until it {@link CachedAnswer#expires() expires}. */
    CompletionStage<Void> put(String key, CachedAnswer answer);
}
