package io.sluice.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.config.ResponseCacheSettings;
import io.sluice.app.config.SemanticSettings;
import io.sluice.domain.context.LexicalVectors;
import io.sluice.engine.cache.LocalResponseCache;
import io.sluice.engine.cache.ResponseCachePolicy;
import io.sluice.engine.cache.TieredResponseCache;
import io.sluice.engine.models.ModelRegistry;
import io.sluice.engine.semantic.LexicalEmbedder;
import io.sluice.engine.semantic.ProviderEmbedder;
import io.sluice.ports.out.ResponseCache;
import io.sluice.redis.RedisLink;
import io.sluice.redis.RedisResponseCache;
import java.time.Clock;
import java.util.Optional;

/** Builds the engine's response-cache policy from {@code sluice.response-cache}. */
final class ResponseCaches {
    private ResponseCaches() {}

    /** The response cache: this process's memory, in front of Redis when replicas share it. */
    static ResponseCachePolicy policy(ResponseCacheSettings c, ModelRegistry registry, Optional<RedisLink> redis, ObjectMapper json, Clock clock) {
        if (!c.enabled()) return ResponseCachePolicy.OFF;
        ResponseCache local = new LocalResponseCache(c.maxBytes(), clock);
        ResponseCache store = c.redis()
                ? new TieredResponseCache(local, new RedisResponseCache(redis.orElseThrow(() -> new IllegalStateException("Redis is used but no link was made")), json, clock))
                : local;
        ResponseCachePolicy.Builder policy = ResponseCachePolicy.builder().enabled(true).shared(c.shared()).ttl(c.ttl())
                .routeTtls(c.routeTtl()).modelTtls(c.modelTtl()).maxTemperature(c.maxTemperature()).toolCalls(c.toolCalls())
                .coalesce(c.coalesce()).semanticMaxEntries(c.semanticMaxEntries()).clock(clock)
                .store(store);
        if (c.semantic()) {
            policy.semanticThreshold(c.semanticThreshold()).embedder(SemanticSettings.LOCAL.equals(c.semanticEmbedder())
                    ? new LexicalEmbedder(LexicalVectors.DEFAULT_DIMENSIONS) : new ProviderEmbedder(registry, c.semanticEmbedder()));
        }
        return policy.build();
    }
}
