package io.sluice.ports.out;

import io.sluice.domain.ChatMessage;
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

    /**
     * The heap an entry takes, estimated high: two bytes a character of its text (Java keeps Latin-1 text in one) and a
     * fixed share for the objects around each message and around the entry. A token is no measure of memory: an inline
     * image of a megabyte counts for about a thousand tokens, and a short message's objects outweigh its text.
     */
    public long estimatedBytes() {
        long bytes = ENTRY_OBJECTS + 2 * (chars(conversation.metadata()) + length(conversation.owner()) + length(conversation.user())
                + (summary == null ? 0 : summary.text().length()));
        for (StoredMessage m : systemPrompt) bytes += bytes(m);
        for (StoredMessage m : tail) bytes += bytes(m);
        return bytes;
    }

    /**
     * The objects of one cached message besides its text: the message and its record, the conversation id, the time,
     * the list slot. Measured at about 0.3 KB (a short message took 0.39 KB of heap in all, issue 21's step 10).
     */
    static final int MESSAGE_OBJECTS = 320;
    /** The objects of each tool call and content part besides their text: the record, its strings' headers, the list slot. */
    static final int PART_OBJECTS = 160;
    /** The entry's own objects: the conversation, its instants and lists, the version slot. */
    static final int ENTRY_OBJECTS = 1024;

    private static long bytes(StoredMessage m) {
        ChatMessage message = m.message();
        return MESSAGE_OBJECTS + (long) PART_OBJECTS * (message.toolCalls().size() + message.parts().size())
                + 2 * (message.chars() + length(m.model()) + chars(m.metadata()));
    }

    private static long chars(java.util.Map<String, String> map) {
        long chars = 0;
        for (var e : map.entrySet()) chars += 32 + e.getKey().length() + length(e.getValue());
        return chars;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }
}
