package io.sluice.domain.context;

import io.sluice.domain.ContextStrategy;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.Require;
import io.sluice.domain.Role;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.ToolCall;
import io.sluice.domain.error.ContextLengthExceededException;
import io.sluice.domain.error.SummaryNeededException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the context of one call from a conversation's system prompt, a tail of its history and the caller's new
 * messages, following a {@link ContextStrategy}. Pure and thread-safe.
 *
 * <p>History is handled in <em>units</em>: a message on its own, or an assistant message with tool calls together with
 * the tool results that answer it. Units are taken whole, newest first, and always as a contiguous tail: a unit that
 * does not fit ends the selection, so the model never sees a gap in the conversation. A tool result whose call is
 * not in the tail is dropped, and when the new messages answer a tool call, the assistant message that made it is
 * always sent.
 */
public final class ContextBuilder {
    /** Every prompt is primed with {@code <|start|>assistant<|message|>}: 3 tokens (OpenAI cookbook). */
    public static final int REPLY_PRIMING_TOKENS = 3;

    private ContextBuilder() {}

    /**
     * @param systemPrompt      the conversation's leading system messages, always sent
     * @param history           the newest stored messages after the system prompt, oldest first (possibly only a tail)
     * @param historyComplete   whether {@code history} reaches back to the system prompt ({@code full} needs all of it)
     * @param newMessages       the caller's new messages, always sent
     * @param contextWindow     the model's window in tokens
     * @param reservedForReply  tokens kept free for the answer
     */
    public static BuiltContext build(ContextStrategy strategy, List<CountedMessage> systemPrompt, List<CountedMessage> history,
                                     boolean historyComplete, List<CountedMessage> newMessages, int contextWindow, int reservedForReply) {
        return build(strategy, systemPrompt, null, history, historyComplete, newMessages, contextWindow, reservedForReply);
    }

    /**
     * As above, with the conversation's summary (may be null), sent after the system prompt by {@code rolling_summary};
     * for that strategy {@code history} must hold only the messages the summary does not cover, and
     * {@code historyComplete} whether it holds all of them.
     */
    public static BuiltContext build(ContextStrategy strategy, List<CountedMessage> systemPrompt, Summary summary,
                                     List<CountedMessage> history, boolean historyComplete, List<CountedMessage> newMessages,
                                     int contextWindow, int reservedForReply) {
        return assemble(strategy, systemPrompt, summary, history, historyComplete, List.of(), newMessages, contextWindow, reservedForReply);
    }

    /**
     * For {@code semantic(k)}: the newest k messages of {@code recent} (whole units), then older messages from
     * {@code relevantBestFirst} in order of relevance while they fit, all sent in chronological order. Relevant
     * messages must be older than {@code recent} and carry no tool calls or results.
     */
    public static BuiltContext buildSemantic(ContextStrategy.Semantic strategy, List<CountedMessage> systemPrompt,
                                             List<CountedMessage> recent, List<StoredMessage> relevantBestFirst,
                                             List<CountedMessage> newMessages, int contextWindow, int reservedForReply) {
        return assemble(strategy, systemPrompt, null, recent, false, relevantBestFirst, newMessages, contextWindow, reservedForReply);
    }

    private static BuiltContext assemble(ContextStrategy strategy, List<CountedMessage> systemPrompt, Summary summary,
                                         List<CountedMessage> history, boolean historyComplete, List<StoredMessage> relevant,
                                         List<CountedMessage> newMessages, int contextWindow, int reservedForReply) {
        Require.nonNull(strategy, "strategy");
        Require.positive(contextWindow, "contextWindow");
        List<List<CountedMessage>> units = units(history);
        List<CountedMessage> pinned = pinnedToolCall(units, newMessages);
        boolean summarized = strategy instanceof ContextStrategy.RollingSummary && summary != null;
        int fixed = REPLY_PRIMING_TOKENS + sum(systemPrompt) + sum(newMessages) + sum(pinned) + (summarized ? summary.tokens() : 0);
        long available = (long) contextWindow - reservedForReply - fixed;
        if (available < 0) {
            throw new ContextLengthExceededException("This model's maximum context length is " + contextWindow + " tokens. The system"
                    + " prompt and the new messages need " + fixed + " tokens, and " + reservedForReply + " are reserved for the reply."
                    + " Please shorten the messages or lower max_tokens.");
        }
        List<List<CountedMessage>> selected = switch (strategy) {
            case ContextStrategy.Full full -> everything(units, historyComplete, available, contextWindow);
            // the pinned call is the newest history message, so it takes its place in the window
            case ContextStrategy.SlidingWindow window -> newestThatFit(units, available, Math.max(0, window.messages() - pinned.size()));
            case ContextStrategy.TokenBudget budget -> newestThatFit(units, available, Integer.MAX_VALUE);
            case ContextStrategy.Semantic semantic -> newestThatFit(units, available, Math.max(0, semantic.recentMessages() - pinned.size()));
            case ContextStrategy.RollingSummary rolling -> {
                if (!historyComplete || sumUnits(units) > available) {
                    throw new SummaryNeededException("The messages no summary covers need more than the " + available
                            + " tokens left in the window; the conversation must be summarized first.");
                }
                yield units;
            }
        };
        List<ChatMessage> messages = new ArrayList<>();
        int tokens = fixed;
        int sent = pinned.size();
        systemPrompt.forEach(m -> messages.add(m.message()));
        if (summarized) messages.add(summary.asMessage());
        long used = 0;
        for (List<CountedMessage> unit : selected) used += sum(unit);
        for (StoredMessage m : recalled(relevant, available - used)) {
            messages.add(m.message());
            tokens += m.tokenCount();
            sent++;
        }
        for (List<CountedMessage> unit : selected) {
            for (CountedMessage m : unit) {
                messages.add(m.message());
                tokens += m.tokens();
                sent++;
            }
        }
        pinned.forEach(m -> messages.add(m.message()));
        newMessages.forEach(m -> messages.add(m.message()));
        return new BuiltContext(messages, tokens, sent, history.size());
    }

    private static List<List<CountedMessage>> everything(List<List<CountedMessage>> units, boolean complete, long available, int window) {
        if (!complete || sumUnits(units) > available) {
            throw new ContextLengthExceededException("This model's maximum context length is " + window + " tokens, and the whole"
                    + " conversation does not fit with the new messages. Use the token_budget or sliding_window(n) strategy,"
                    + " or a model with a larger context window.");
        }
        return units;
    }

    /** The longest tail of whole units that fits both budgets, oldest first. */
    private static List<List<CountedMessage>> newestThatFit(List<List<CountedMessage>> units, long availableTokens, int maxMessages) {
        ArrayDeque<List<CountedMessage>> tail = new ArrayDeque<>();
        long tokens = 0;
        int count = 0;
        for (int i = units.size() - 1; i >= 0; i--) {
            List<CountedMessage> unit = units.get(i);
            long unitTokens = sum(unit);
            if (tokens + unitTokens > availableTokens || count + unit.size() > maxMessages) break;
            tokens += unitTokens;
            count += unit.size();
            tail.addFirst(unit);
        }
        return new ArrayList<>(tail);
    }

    /** The relevant messages that fit in {@code room}, best first, returned in chronological order. */
    private static List<StoredMessage> recalled(List<StoredMessage> relevantBestFirst, long room) {
        List<StoredMessage> picked = new ArrayList<>();
        long used = 0;
        for (StoredMessage m : relevantBestFirst) {
            if (used + m.tokenCount() > room) continue;
            used += m.tokenCount();
            picked.add(m);
        }
        picked.sort(java.util.Comparator.comparingLong(StoredMessage::seq));
        return picked;
    }

    /** Groups history into units, dropping tool results whose call is not in the history. */
    static List<List<CountedMessage>> units(List<CountedMessage> history) {
        List<List<CountedMessage>> units = new ArrayList<>();
        List<CountedMessage> open = null;
        Set<String> openCalls = new HashSet<>();
        for (CountedMessage m : history) {
            ChatMessage msg = m.message();
            if (msg.role() == Role.TOOL) {
                if (open != null && openCalls.contains(msg.toolCallId())) open.add(m);
                continue; // an orphan result: its call is older than the tail
            }
            open = new ArrayList<>();
            open.add(m);
            units.add(open);
            openCalls.clear();
            for (ToolCall call : msg.toolCalls()) openCalls.add(call.id());
            if (openCalls.isEmpty()) open = null;
        }
        return units;
    }

    /** When the new messages answer the last unit's tool calls, that unit is removed from {@code units}: it must be sent. */
    private static List<CountedMessage> pinnedToolCall(List<List<CountedMessage>> units, List<CountedMessage> newMessages) {
        boolean answersATool = newMessages.stream().anyMatch(m -> m.message().role() == Role.TOOL);
        if (!answersATool || units.isEmpty()) return List.of();
        List<CountedMessage> last = units.getLast();
        if (last.getFirst().message().toolCalls().isEmpty()) return List.of();
        units.removeLast();
        return last;
    }

    private static long sumUnits(List<List<CountedMessage>> units) {
        long total = 0;
        for (List<CountedMessage> unit : units) total += sum(unit);
        return total;
    }

    private static int sum(List<CountedMessage> messages) {
        int total = 0;
        for (CountedMessage m : messages) total += m.tokens();
        return total;
    }
}
