package io.sluice.ports.out;

import io.sluice.domain.Conversation;
import io.sluice.domain.Require;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.context.Summary;
import java.util.List;

/**
 * What the context cache holds for one conversation: the conversation, its system prompt, and the newest messages
 * after it ({@code tail}, oldest first, complete back to the system prompt when {@code tailComplete}), as of
 * {@code lastSeq}, and its rolling summary (may be null). The version is {@code lastSeq}: a cache never replaces an
 * entry with an older one. Immutable.
 */
public record CachedConversation(Conversation conversation, List<StoredMessage> systemPrompt, List<StoredMessage> tail,
                                 boolean tailComplete, long lastSeq, Summary summary) {
    public CachedConversation {
        Require.nonNull(conversation, "conversation");
        systemPrompt = List.copyOf(systemPrompt);
        tail = List.copyOf(tail);
        Require.nonNegative(lastSeq, "lastSeq");
    }
}
