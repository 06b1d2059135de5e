package io.sluice.ports.out;

import io.sluice.domain.Conversation;
import io.sluice.domain.Require;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.context.Summary;
import java.util.List;

/**
 * What the context cache holds for one conversation: the conversation, its system prompt, and the newest messages
 * after it ({@code tail}, oldest first, complete back to the system prompt when {@code tailComplete}), as of
 * {@code lastSeq}, and its rolling summary (may be null). {@code coveredTokens}: every message within that many tokens
 * of the conversation's end is in the tail, so any window of at most that many tokens can be cut from it. The version
 * is {@code lastSeq}: a cache never replaces an entry with an older one. Immutable.
 */
public record CachedConversation(Conversation conversation, List<StoredMessage> systemPrompt, List<StoredMessage> tail,
                                 boolean tailComplete, long lastSeq, Summary summary, long coveredTokens) {
    public CachedConversation {
        Require.nonNull(conversation, "conversation");
        systemPrompt = List.copyOf(systemPrompt);
        tail = List.copyOf(tail);
        Require.nonNegative(lastSeq, "lastSeq");
        Require.nonNegative(coveredTokens, "coveredTokens");
    }

    /** The tokens of the tail, which is what an entry weighs. */
    public long tailTokens() {
        long total = 0;
        for (StoredMessage m : tail) total += m.tokenCount();
        return total;
    }
}
