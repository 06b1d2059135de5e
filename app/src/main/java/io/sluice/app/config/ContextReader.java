package io.sluice.app.config;

import static io.sluice.app.config.ConfigProblem.check;

import io.sluice.domain.ContextStrategy;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.engine.memory.ContextDefaults;
import io.sluice.engine.memory.SummaryPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sluice.context} and the per-model context keys of {@code sluice.models}: the default strategy and reply
 * reserve, each model's own strategy and larger-context fallback, the context cache, rolling summaries and semantic
 * recall.
 */
final class ContextReader {
    private ContextReader() {}

    record Context(ContextDefaults defaults, CacheSettings cache, SummaryPolicy summary, SemanticSettings semantic) {}

    /** @param models the configured models' names; {@code passthrough} may serve any other */
    static Context read(SluiceConfig c, List<String> models, Optional<String> passthrough) {
        ContextDefaults defaults = check("sluice.context", () -> {
            try {
                return new ContextDefaults(ContextStrategy.parse(c.context().defaultStrategy()), c.context().replyReserveTokens(),
                        c.context().cache().maxTokens(), modelStrategies(c), contextFallbacks(c));
            } catch (InvalidRequestException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        });
        if (c.context().cache().maxTotalTokens().isPresent()) {
            throw new ConfigProblem("sluice.context.cache.max-total-tokens", "replaced by 'sluice.context.cache.max-bytes', a bound on the"
                    + " cache's heap: a token is no measure of memory (an inline image of a megabyte counts for about a thousand)");
        }
        CacheSettings cache = check("sluice.context.cache", () -> new CacheSettings(CacheSettings.Type.of(c.context().cache().type()),
                c.context().cache().ttl(), c.context().cache().maxBytes(), c.redis().uri()));
        ContextConfig.Summary s = c.context().summary();
        SummaryPolicy summary = check("sluice.context.summary", () -> new SummaryPolicy(s.model(), s.thresholdTokens(),
                s.keepRecentTokens(), s.maxSummaryTokens(), s.batch(), s.batchPollInterval()));
        summary.model().ifPresent(m -> {
            if (!models.contains(m) && passthrough.isEmpty()) {
                throw new ConfigProblem("sluice.context.summary.model", "unknown model '" + m + "'; configured: " + models);
            }
        });
        SemanticSettings semantic = check("sluice.context.semantic", () -> new SemanticSettings(c.context().semantic().embedder(),
                c.context().semantic().candidates()));
        if (!semantic.isLocal() && !models.contains(semantic.embedder()) && passthrough.isEmpty()) {
            throw new ConfigProblem("sluice.context.semantic.embedder", "unknown model '" + semantic.embedder() + "'; use local or one of " + models);
        }
        return new Context(defaults, cache, summary, semantic);
    }

    private static Map<String, ContextStrategy> modelStrategies(SluiceConfig c) {
        Map<String, ContextStrategy> strategies = new HashMap<>();
        c.models().forEach((name, m) -> m.contextStrategy().ifPresent(s -> {
            try {
                strategies.put(name, ContextStrategy.parse(s));
            } catch (InvalidRequestException e) {
                throw new ConfigProblem("sluice.models.\"" + name + "\".context-strategy", e.getMessage());
            }
        }));
        return strategies;
    }

    private static Map<String, String> contextFallbacks(SluiceConfig c) {
        Map<String, String> fallbacks = new HashMap<>();
        c.models().forEach((name, m) -> m.contextFallback().ifPresent(f -> {
            ModelConfig larger = c.models().get(f);
            if (larger == null) {
                throw new ConfigProblem("sluice.models.\"" + name + "\".context-fallback", "unknown model '" + f + "'; configured: " + c.models().keySet());
            }
            int largerWindow = ModelsReader.window(f, larger);
            int window = ModelsReader.window(name, m);
            if (largerWindow <= window) {
                throw new ConfigProblem("sluice.models.\"" + name + "\".context-fallback", "'" + f + "' has no larger context window ("
                        + largerWindow + " <= " + window + ")");
            }
            fallbacks.put(name, f);
        }));
        return fallbacks;
    }
}
