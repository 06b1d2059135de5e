package io.sluice.engine;

import io.sluice.domain.Require;
import io.sluice.domain.context.ContextStrategy;

/**
 * How stored conversations are fitted when a call does not say: the strategy, how many tokens to keep free for the
 * reply when the request sets no {@code max_tokens} (at most half the model's window), and how many of a
 * conversation's newest messages the context cache keeps. Immutable.
 */
public record ContextDefaults(ContextStrategy strategy, int replyReserveTokens, int cachedMessages) {
    public static final int DEFAULT_REPLY_RESERVE_TOKENS = 1024;
    public static final int DEFAULT_CACHED_MESSAGES = 500;

    public ContextDefaults {
        Require.nonNull(strategy, "strategy");
        Require.positive(replyReserveTokens, "replyReserveTokens");
        Require.positive(cachedMessages, "cachedMessages");
    }

    public static ContextDefaults ofDefaults() {
        return new ContextDefaults(ContextStrategy.TOKEN_BUDGET, DEFAULT_REPLY_RESERVE_TOKENS, DEFAULT_CACHED_MESSAGES);
    }

    int replyReserve(Integer maxTokens, int contextWindow) {
        return maxTokens != null ? maxTokens : Math.min(replyReserveTokens, contextWindow / 2);
    }
}
