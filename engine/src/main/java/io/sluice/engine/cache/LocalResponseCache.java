package io.sluice.engine.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.sluice.ports.out.CachedAnswer;
import io.sluice.ports.out.ResponseCache;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link ResponseCache} in this process's memory (Caffeine): sized in bytes (two per character of each answer), each
 * answer expiring when it says. In front of a shared store ({@link TieredResponseCache}) it saves the round trip for
 * the answers this replica serves most. Thread-safe.
 */
public final class LocalResponseCache implements ResponseCache {
    /** 64 MiB. */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;

    private final Cache<String, CachedAnswer> cache;
    private final Clock clock;

    public LocalResponseCache(long maxBytes, Clock clock) {
        this.clock = clock;
        this.cache = Caffeine.newBuilder().maximumWeight(maxBytes)
                .weigher((String key, CachedAnswer answer) -> (int) Math.min(Integer.MAX_VALUE, 2 * (key.length() + answer.chars())))
                .expireAfter(new Expiry<String, CachedAnswer>() {
                    @Override
                    public long expireAfterCreate(String key, CachedAnswer answer, long now) {
                        return remaining(answer);
                    }

                    @Override
                    public long expireAfterUpdate(String key, CachedAnswer answer, long now, long current) {
                        return remaining(answer);
                    }

                    @Override
                    public long expireAfterRead(String key, CachedAnswer answer, long now, long current) {
                        return current;
                    }
                }).build();
    }

    private long remaining(CachedAnswer answer) {
        return Math.max(0, Duration.between(clock.instant(), answer.expires()).toNanos());
    }

    @Override
    public CompletionStage<Optional<CachedAnswer>> get(String key) {
        CachedAnswer answer = cache.getIfPresent(key);
        if (answer != null && !answer.expires().isAfter(clock.instant())) answer = null; // a test clock may run ahead of Caffeine's
        return CompletableFuture.completedFuture(Optional.ofNullable(answer));
    }

    @Override
    public CompletionStage<Void> put(String key, CachedAnswer answer) {
        if (answer.expires().isAfter(clock.instant())) cache.put(key, answer);
        return CompletableFuture.completedFuture(null);
    }
}
