package io.sluice.engine;

import io.sluice.domain.Require;
import io.sluice.domain.context.ContextStrategy;

/**
 * How stored conversations are fitted when a call does not say: the strategy, and how many tokens to keep free for
 * the reply when the request sets no {@code max_tokens} (at most half the model's window). Immutable.
 */
public record ContextDefaults(ContextStrategy strategy, int replyReserveTokens) {
    public static final int DEFAULT_REPLY_RESERVE_TOKENS = 1024;

    public ContextDefaults {
        Require.nonNull(strategy, "strategy");
        Require.positive(replyReserveTokens, "replyReserveTokens");
    }

    public static ContextDefaults ofDefaults() {
        return new ContextDefaults(ContextStrategy.TOKEN_BUDGET, DEFAULT_REPLY_RESERVE_TOKENS);
    }

    int replyReserve(Integer maxTokens, int contextWindow) {
        return maxTokens != null ? maxTokens : Math.min(replyReserveTokens, contextWindow / 2);
    }
}
