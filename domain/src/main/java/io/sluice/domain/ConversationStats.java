package io.sluice.domain;

/**
 * How big a conversation is: its messages, their tokens (framing included), how far a summary covers it
 * ({@code summarizedThroughSeq}, 0 when there is no summary), and what its calls have cost so far, in US dollars
 * ({@code totalCost}, every bill of the conversation in the ledger).
 */
public record ConversationStats(long messageCount, long totalTokens, long summarizedThroughSeq, java.math.BigDecimal totalCost) {
    public ConversationStats {
        Require.nonNegative(messageCount, "messageCount");
        Require.nonNegative(totalTokens, "totalTokens");
        Require.nonNegative(summarizedThroughSeq, "summarizedThroughSeq");
        Require.nonNull(totalCost, "totalCost");
        totalCost = totalCost.signum() == 0 ? java.math.BigDecimal.ZERO : totalCost.stripTrailingZeros(); // equal sums are equal stats
    }

    /** Stats of a conversation that cost nothing. */
    public ConversationStats(long messageCount, long totalTokens, long summarizedThroughSeq) {
        this(messageCount, totalTokens, summarizedThroughSeq, java.math.BigDecimal.ZERO);
    }
}
