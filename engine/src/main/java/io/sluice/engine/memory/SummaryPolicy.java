package io.sluice.engine.memory;

import io.sluice.domain.Require;
import java.util.Optional;

/**
 * How rolling summaries are made. Immutable.
 *
 * @param model           the (cheap) model that writes summaries; empty means the model of the conversation's call
 * @param thresholdTokens a summary is refreshed in the background once the messages it does not cover pass this size
 * @param keepRecentTokens the newest messages worth this many tokens are never folded into a summary: they stay verbatim
 * @param maxSummaryTokens the longest summary a model may write
 * @param batch           background refreshes go through the summary model's provider's batch API, at its batch price,
 *                        when it has one; a summary a call cannot wait for is always made at once
 * @param batchPollInterval how often a batched refresh asks its provider whether it is done
 */
public record SummaryPolicy(Optional<String> model, int thresholdTokens, int keepRecentTokens, int maxSummaryTokens, boolean batch,
                            java.time.Duration batchPollInterval) {
    public static final java.time.Duration DEFAULT_BATCH_POLL_INTERVAL = java.time.Duration.ofSeconds(30);
    public static final int DEFAULT_THRESHOLD_TOKENS = 4000;
    public static final int DEFAULT_KEEP_RECENT_TOKENS = 1500;
    public static final int DEFAULT_MAX_SUMMARY_TOKENS = 500;

    public SummaryPolicy {
        Require.nonNull(model, "model");
        Require.positive(thresholdTokens, "thresholdTokens");
        Require.nonNegative(keepRecentTokens, "keepRecentTokens");
        Require.positive(maxSummaryTokens, "maxSummaryTokens");
        Require.positive(batchPollInterval, "batchPollInterval");
        if (keepRecentTokens >= thresholdTokens) {
            throw new IllegalArgumentException("'keepRecentTokens' must be below 'thresholdTokens', or refreshes would fold nothing");
        }
    }

    /** Summaries made at once, never batched. */
    public SummaryPolicy(Optional<String> model, int thresholdTokens, int keepRecentTokens, int maxSummaryTokens) {
        this(model, thresholdTokens, keepRecentTokens, maxSummaryTokens, false, DEFAULT_BATCH_POLL_INTERVAL);
    }

    public static SummaryPolicy ofDefaults() {
        return new SummaryPolicy(Optional.empty(), DEFAULT_THRESHOLD_TOKENS, DEFAULT_KEEP_RECENT_TOKENS, DEFAULT_MAX_SUMMARY_TOKENS);
    }
}
