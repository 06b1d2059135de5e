package io.sluice.engine.memory;

import io.sluice.domain.Require;
import io.sluice.domain.ContextStrategy;
import java.util.Map;

/**
 * How stored conversations are fitted when a call does not say: the strategy (per model, else the gateway's), how many
 * tokens to keep free for the reply when the request sets no {@code max_tokens} (at most half the model's window), how
 * many of a conversation's newest tokens a context cache entry keeps (enough for the largest window in use), and which
 * larger-context model takes a call whose context does not fit its model ({@code contextFallbacks}, by model name).
 * Immutable.
 */
public record ContextDefaults(ContextStrategy strategy, int replyReserveTokens, long cachedTokens,
                              Map<String, ContextStrategy> modelStrategies, Map<String, String> contextFallbacks) {
    public static final int DEFAULT_REPLY_RESERVE_TOKENS = 1024;
    public static final long DEFAULT_CACHED_TOKENS = 200_000;

    public ContextDefaults {
        Require.nonNull(strategy, "strategy");
        Require.positive(replyReserveTokens, "replyReserveTokens");
        if (cachedTokens < 1) throw new IllegalArgumentException("'cachedTokens' must be positive, was " + cachedTokens);
        modelStrategies = modelStrategies == null ? Map.of() : Map.copyOf(modelStrategies);
        contextFallbacks = contextFallbacks == null ? Map.of() : Map.copyOf(contextFallbacks);
    }

    public static ContextDefaults ofDefaults() {
        return new ContextDefaults(ContextStrategy.TOKEN_BUDGET, DEFAULT_REPLY_RESERVE_TOKENS, DEFAULT_CACHED_TOKENS, Map.of(), Map.of());
    }

    /** The model's own default strategy, else the gateway's. */
    ContextStrategy strategyFor(String model) {
        return modelStrategies.getOrDefault(model, strategy);
    }

    /** The tokens kept free for a reply: {@code max_tokens} when the request sets it, else the reserve, at most half the window. */
    public int replyReserve(Integer maxTokens, int contextWindow) {
        return maxTokens != null ? maxTokens : Math.min(replyReserveTokens, contextWindow / 2);
    }
}
