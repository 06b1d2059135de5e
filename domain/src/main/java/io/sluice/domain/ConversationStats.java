package io.sluice.domain;

/**
 * How big a conversation is: its messages, their tokens (framing included), and how far a summary covers it
 * ({@code summarizedThroughSeq}, 0 when there is no summary).
 */
public record ConversationStats(long messageCount, long totalTokens, long summarizedThroughSeq) {
    public ConversationStats {
        Require.nonNegative(messageCount, "messageCount");
        Require.nonNegative(totalTokens, "totalTokens");
        Require.nonNegative(summarizedThroughSeq, "summarizedThroughSeq");
    }
}
