package io.sluice.app.config;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** Reads and checks {@code sluice.response-cache}; each problem names its key. */
final class ResponseCacheReader {
    private static final String KEY = "sluice.response-cache";

    private ResponseCacheReader() {}

    static ResponseCacheSettings read(SluiceConfig config, Set<String> models, Set<String> routes) {
        ResponseCacheConfig c = config.responseCache();
        boolean shared = switch (c.scope().strip().toLowerCase(java.util.Locale.ROOT)) {
            case "owner" -> false;
            case "shared" -> true;
            default -> throw new ConfigProblem(KEY + ".scope", "must be owner or shared, was '" + c.scope() + "'");
        };
        boolean redis = switch (c.store().strip().toLowerCase(java.util.Locale.ROOT)) {
            case "local" -> false;
            case "redis" -> true;
            default -> throw new ConfigProblem(KEY + ".store", "must be local or redis, was '" + c.store() + "'");
        };
        positive(c.ttl(), KEY + ".ttl");
        checkTtls(c.routeTtl(), routes, KEY + ".route-ttl", "route");
        checkTtls(c.modelTtl(), models, KEY + ".model-ttl", "model");
        if (c.maxBytes() < 1024) throw new ConfigProblem(KEY + ".max-bytes", "must be at least 1024, was " + c.maxBytes());
        if (!(c.maxTemperature() >= 0 && c.maxTemperature() <= 2)) throw new ConfigProblem(KEY + ".max-temperature", "must be between 0 and 2");
        var s = c.semantic();
        if (s.enabled() && !(s.threshold() > 0 && s.threshold() <= 1)) throw new ConfigProblem(KEY + ".semantic.threshold", "must be above 0 and at most 1");
        if (s.maxEntries() < 1) throw new ConfigProblem(KEY + ".semantic.max-entries", "must be at least 1");
        String embedder = s.embedder().strip();
        if (s.enabled() && !embedder.equals(SemanticSettings.LOCAL) && !models.contains(embedder)) {
            throw new ConfigProblem(KEY + ".semantic.embedder", "must be local or a configured embedding model, was '" + embedder + "'");
        }
        return new ResponseCacheSettings(c.enabled(), shared, c.ttl(), c.routeTtl(), c.modelTtl(), redis, c.maxBytes(), c.maxTemperature(),
                c.toolCalls(), c.coalesce(), s.enabled() ? s.threshold() : 0, embedder, s.maxEntries());
    }

    private static void checkTtls(Map<String, Duration> ttls, Set<String> known, String key, String what) {
        ttls.forEach((name, ttl) -> {
            if (!known.contains(name)) throw new ConfigProblem(key, "names " + what + " '" + name + "', which is not configured");
            positive(ttl, key + "." + name);
        });
    }

    private static void positive(Duration ttl, String key) {
        if (ttl.isNegative() || ttl.isZero()) throw new ConfigProblem(key, "must be positive, was " + ttl);
    }
}
