package io.sluice.app.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** {@code sluice.context}: how conversations are fitted into a model's window, cached, summarized and recalled. */
public interface ContextConfig {
    /** For stored conversations: {@code token_budget}, {@code sliding_window(n)} or {@code full}. */
    @WithName("default-strategy")
    @WithDefault("token_budget")
    String defaultStrategy();

    /** Tokens kept free for the reply when a request sets no max_tokens (at most half the window). */
    @WithName("reply-reserve-tokens")
    @WithDefault("1024")
    int replyReserveTokens();

    Cache cache();

    Summary summary();

    Semantic semantic();

    interface Semantic {
        /** {@code local} (lexical, in process) or the name of an embedding model served by a provider. */
        @WithDefault("local")
        String embedder();

        /** How many of the most relevant older messages are considered for a context. */
        @WithDefault("50")
        int candidates();
    }

    interface Summary {
        /** The (cheap) model that writes rolling summaries; by default the conversation's own model. */
        java.util.Optional<String> model();

        /** Refresh the summary in the background once the messages it does not cover pass this many tokens. */
        @WithName("threshold-tokens")
        @WithDefault("4000")
        int thresholdTokens();

        /** The newest messages worth this many tokens are never folded into a summary. */
        @WithName("keep-recent-tokens")
        @WithDefault("1500")
        int keepRecentTokens();

        @WithName("max-summary-tokens")
        @WithDefault("500")
        int maxSummaryTokens();

        /** Background refreshes through the summary model's provider's batch API, at its batch price (half, for OpenAI and Anthropic). */
        @WithDefault("false")
        boolean batch();

        /** How often a batched refresh asks its provider whether it is done. */
        @WithName("batch-poll-interval")
        @WithDefault("30s")
        java.time.Duration batchPollInterval();
    }

    interface Cache {
        /** {@code local} (this process; one replica), {@code redis} (shared by replicas) or {@code none}. */
        @WithDefault("local")
        String type();

        @WithDefault("24h")
        java.time.Duration ttl();

        /** How many tokens of a conversation's newest messages an entry keeps: at least the largest window in use. */
        @WithName("max-tokens")
        @WithDefault("200000")
        long maxTokens();

        /** What the local cache may hold in all, in estimated bytes of heap. */
        @WithName("max-bytes")
        @WithDefault("134217728")
        long maxBytes();

        /** The bound before {@code max-bytes}, in tokens: refused with a message that names its replacement. */
        @WithName("max-total-tokens")
        java.util.Optional<Long> maxTotalTokens();
    }
}
