package io.sluice.engine;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.context.ContextBuilder;
import io.sluice.engine.memory.Turn;
import io.sluice.engine.sla.ResilientCaller;
import io.sluice.ports.out.TokenCounter;
import java.util.List;

/**
 * A turn and the models that may serve it, the tokens kept for its reply (computed once, for the context and the budget
 * alike), with its prompt's tokens counted at most once: the context builder's count
 * for a stored conversation, else counted on first need (token budgets, rate limits and caps all ask for it).
 * Used by one call at a time.
 */
final class CallPlan {
    private final Turn turn;
    private final Selection selection;
    private final TokenCounter tokens;
    private final int replyReserve;
    private int promptTokens;

    CallPlan(Turn turn, Selection selection, TokenCounter tokens, int replyReserve) {
        this.turn = turn;
        this.selection = selection;
        this.tokens = tokens;
        this.replyReserve = replyReserve;
        this.promptTokens = turn.promptTokens();
    }

    /** The tokens kept free for the reply: the request's max_tokens, else the configured reserve for the planning model. */
    int replyReserve() {
        return replyReserve;
    }

    Turn turn() {
        return turn;
    }

    Selection selection() {
        return selection;
    }

    /** This plan with the turn's {@code max_tokens} set (the prompt is the same). */
    CallPlan withMaxTokens(int maxTokens) {
        CallPlan capped = new CallPlan(turn.withMaxTokens(maxTokens), selection, tokens, replyReserve);
        capped.promptTokens = promptTokens;
        return capped;
    }

    List<ResilientCaller.Candidate> candidates() {
        return selection.targets().stream().map(t -> new ResilientCaller.Candidate(t.spec().name(), t.endpoints(),
                turn.upstreamRequest(t.spec().upstreamName()))).toList();
    }

    /** The prompt as the upstream counts it: every message with its framing, and the reply priming. */
    synchronized int promptTokens() {
        if (promptTokens == Turn.UNCOUNTED) {
            int count = ContextBuilder.REPLY_PRIMING_TOKENS;
            for (ChatMessage m : turn.context()) count += tokens.countMessage(m, selection.planning().spec().encoding(), selection.planning().provider().mediaRule());
            promptTokens = count;
        }
        return promptTokens;
    }

    /** What the call may take from a token budget: its prompt, and its replies (one per choice) at most. */
    long estimatedTokens() {
        Integer maxTokens = turn.request().options().maxTokens();
        return promptTokens() + (maxTokens == null ? 0 : (long) maxTokens * turn.request().options().choices());
    }
}
