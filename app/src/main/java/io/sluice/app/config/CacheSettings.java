package io.sluice.app.config;

import io.sluice.engine.cache.LocalContextCache;
import java.time.Duration;
import java.util.Locale;

/** Which context cache to run, and how. {@code redisUri} is used by the {@code redis} type only. Immutable. */
public record CacheSettings(Type type, Duration ttl, long maxBytes, String redisUri) {
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);

    public enum Type {
        LOCAL, REDIS, NONE;

        static Type of(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown cache type '" + name + "'; use local, redis or none");
            }
        }
    }

    public CacheSettings {
        if (type == null) throw new IllegalArgumentException("'type' must not be null");
        if (ttl == null || ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("'ttl' must be positive");
        if (maxBytes < 1024) throw new IllegalArgumentException("'max-bytes' must be at least 1024, was " + maxBytes);
    }

    public static CacheSettings local() {
        return new CacheSettings(Type.LOCAL, DEFAULT_TTL, LocalContextCache.DEFAULT_MAX_BYTES, "redis://127.0.0.1:6379");
    }
}
