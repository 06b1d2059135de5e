package io.sluice.app.config;

import java.time.Duration;
import java.util.Map;

/**
 * {@code sluice.response-cache}, read and checked: the engine's policy is built from it once the models and Redis are
 * known. {@code semanticEmbedder} is {@code local} or an embedding model's name; {@code semanticThreshold} is 0 when
 * the semantic cache is off. Immutable.
 */
public record ResponseCacheSettings(boolean enabled, boolean shared, Duration ttl, Map<String, Duration> routeTtl, Map<String, Duration> modelTtl,
                                    boolean redis, long maxBytes, double maxTemperature, boolean toolCalls, boolean coalesce,
                                    double semanticThreshold, String semanticEmbedder, long semanticMaxEntries) {
    public static final ResponseCacheSettings OFF = new ResponseCacheSettings(false, false, Duration.ofHours(1), Map.of(), Map.of(), false,
            64L << 20, 0, false, true, 0, SemanticSettings.LOCAL, 100_000);

    public ResponseCacheSettings {
        routeTtl = Map.copyOf(routeTtl);
        modelTtl = Map.copyOf(modelTtl);
    }

    public boolean semantic() {
        return semanticThreshold > 0;
    }
}
