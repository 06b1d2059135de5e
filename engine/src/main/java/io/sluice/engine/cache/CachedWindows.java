package io.sluice.engine.cache;

import io.sluice.domain.Conversation;
import io.sluice.domain.Role;
import io.sluice.domain.StoredMessage;
import io.sluice.ports.out.CachedConversation;
import io.sluice.ports.out.ConversationWindow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Windows cut from cache entries, and entries moved forward by a turn's stored messages. Pure. */
public final class CachedWindows {
    private CachedWindows() {}

    /**
     * The window of at most {@code maxMessages} messages and {@code maxTokens} tokens that the entry holds; empty when
     * the entry's tail is too short to be sure (it is incomplete, the window would want all of it, and the tail is not
     * known to cover that many tokens).
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
        boolean wantedMore = tookAll && taken.size() < maxMessages;
        if (wantedMore && !entry.tailComplete() && maxTokens > entry.coveredTokens()) return Optional.empty();
        return Optional.of(new ConversationWindow(entry.systemPrompt(), new ArrayList<>(taken), tookAll, entry.lastSeq(), entry.summary()));
    }

    /** An entry made from a window read from the store with these bounds. */
    public static CachedConversation fromWindow(Conversation conversation, ConversationWindow window, int maxMessages, long maxTokens) {
        long read = 0;
        for (StoredMessage m : window.recent()) read += m.tokenCount();
        // a read stopped by its message count covers only what it holds; one stopped by tokens covers its whole budget
        long covered = window.recent().size() >= maxMessages ? read : Math.max(read, maxTokens);
        return new CachedConversation(conversation, forContext(window.systemPrompt()), forContext(window.recent()), window.complete(),
                window.lastSeq(), window.summary(), covered);
    }

    /** The entry after {@code stored} was appended to it, keeping at most {@code maxTailTokens} tokens of tail. */
    public static CachedConversation extend(CachedConversation entry, List<StoredMessage> stored, long maxTailTokens) {
        List<StoredMessage> system = new ArrayList<>(entry.systemPrompt());
        List<StoredMessage> tail = new ArrayList<>(entry.tail());
        long lastSeq = entry.lastSeq();
        long covered = entry.coveredTokens();
        for (StoredMessage m : forContext(stored)) {
            covered += m.tokenCount();
            // a system message is part of the prompt only while nothing but system messages came before it (an
            // empty, complete tail: seqs are no count of them once items have been deleted)
            if (m.message().role() == Role.SYSTEM && tail.isEmpty() && entry.tailComplete()) system.add(m);
            else tail.add(m);
            lastSeq = m.seq();
        }
        boolean complete = entry.tailComplete();
        long tailTokens = 0;
        for (StoredMessage m : tail) tailTokens += m.tokenCount();
        int drop = 0;
        while (drop < tail.size() - 1 && tailTokens > maxTailTokens) tailTokens -= tail.get(drop++).tokenCount();
        if (drop > 0) {
            tail = new ArrayList<>(tail.subList(drop, tail.size()));
            complete = false;
            covered = Math.min(covered, tailTokens);
        }
        return new CachedConversation(entry.conversation(), system, tail, complete, lastSeq, entry.summary(), covered);
    }

    /**
     * The messages as a cache entry keeps them: with no metadata but the fallback marker, the one key that building a
     * context reads ({@code ContextHistory}). The rest (a stored answer's request id, billed tokens and context figures,
     * eight strings or so) is the store's, which answers reads of the conversation; kept in every cached message, it
     * was about a fifth of a busy gateway's live heap (docs/performance.md, step 10).
     */
    static List<StoredMessage> forContext(List<StoredMessage> messages) {
        List<StoredMessage> kept = new ArrayList<>(messages.size());
        for (StoredMessage m : messages) {
            Map<String, String> metadata = m.metadata().containsKey(StoredMessage.FALLBACK) ? FALLBACK : Map.of();
            kept.add(m.metadata().equals(metadata) ? m
                    : new StoredMessage(m.conversationId(), m.seq(), m.message(), m.tokenCount(), m.model(), m.created(), metadata));
        }
        return kept;
    }

    private static final Map<String, String> FALLBACK = Map.of(StoredMessage.FALLBACK, "true");
}
