package io.sluice.engine.internal;

import io.sluice.domain.Conversation;
import io.sluice.domain.Role;
import io.sluice.domain.StoredMessage;
import io.sluice.ports.out.CachedConversation;
import io.sluice.ports.out.ConversationWindow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Windows cut from cache entries, and entries moved forward by a turn's stored messages. Pure. */
public final class CachedWindows {
    private CachedWindows() {}

    /**
     * The window of at most {@code maxMessages} messages and {@code maxTokens} tokens that the entry holds; empty when
     * the entry's tail is too short to be sure (it is incomplete and the window would want more of it).
     */
    public static Optional<ConversationWindow> select(CachedConversation entry, int maxMessages, long maxTokens) {
        ArrayDeque<StoredMessage> taken = new ArrayDeque<>();
        long tokens = 0;
        List<StoredMessage> tail = entry.tail();
        int i = tail.size() - 1;
        for (; i >= 0; i--) {
            StoredMessage m = tail.get(i);
            if (taken.size() >= maxMessages || tokens + m.tokenCount() > maxTokens) break;
            tokens += m.tokenCount();
            taken.addFirst(m);
        }
        boolean tookAll = i < 0;
        if (tookAll && !entry.tailComplete()) return Optional.empty();
        return Optional.of(new ConversationWindow(entry.systemPrompt(), new ArrayList<>(taken), tookAll, entry.lastSeq(), entry.summary()));
    }

    /** An entry made from a window read from the store. */
    public static CachedConversation fromWindow(Conversation conversation, ConversationWindow window) {
        return new CachedConversation(conversation, window.systemPrompt(), window.recent(), window.complete(), window.lastSeq(),
                window.summary());
    }

    /** The entry after {@code stored} was appended to it, keeping at most {@code maxTail} messages in the tail. */
    public static CachedConversation extend(CachedConversation entry, List<StoredMessage> stored, int maxTail) {
        List<StoredMessage> system = new ArrayList<>(entry.systemPrompt());
        List<StoredMessage> tail = new ArrayList<>(entry.tail());
        long lastSeq = entry.lastSeq();
        for (StoredMessage m : stored) {
            // a system message is part of the prompt only while nothing but system messages came before it
            if (m.message().role() == Role.SYSTEM && tail.isEmpty() && m.seq() == system.size() + 1) system.add(m);
            else tail.add(m);
            lastSeq = m.seq();
        }
        boolean complete = entry.tailComplete();
        if (tail.size() > maxTail) {
            tail = new ArrayList<>(tail.subList(tail.size() - maxTail, tail.size()));
            complete = false;
        }
        return new CachedConversation(entry.conversation(), system, tail, complete, lastSeq, entry.summary());
    }
}
