package io.sluice.engine.memory;

import io.sluice.domain.StoredMessage;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.context.CountedMessage;
import io.sluice.domain.context.Summary;
import io.sluice.ports.out.ConversationWindow;
import java.util.ArrayList;
import java.util.List;

/**
 * The history a strategy builds from, out of a window: for {@code rolling_summary} only the messages the summary does
 * not cover, and whether they reach back to it; for every other strategy the window's messages as read. Pure.
 */
public record ContextHistory(List<StoredMessage> messages, boolean complete) {
    public static ContextHistory of(ContextStrategy strategy, ConversationWindow window) {
        Summary summary = window.summary();
        if (!(strategy instanceof ContextStrategy.RollingSummary) || summary == null) return new ContextHistory(window.recent(), window.complete());
        List<StoredMessage> uncovered = window.recent().stream().filter(m -> m.seq() > summary.throughSeq()).toList();
        boolean complete = window.complete() || uncovered.size() < window.recent().size() || window.lastSeq() <= summary.throughSeq()
                || (!uncovered.isEmpty() && uncovered.getFirst().seq() == summary.throughSeq() + 1);
        return new ContextHistory(uncovered, complete);
    }

    public List<CountedMessage> counted() {
        return counted(messages);
    }

    /**
     * Stored messages with the token counts they were stored with: history is never tokenized again. A fallback reply
     * is left out: it was the gateway's apology, not the model's answer, and a model shown it would learn to repeat it.
     */
    public static List<CountedMessage> counted(List<StoredMessage> stored) {
        List<CountedMessage> counted = new ArrayList<>(stored.size());
        for (StoredMessage m : stored) {
            if (!m.metadata().containsKey(StoredMessage.FALLBACK)) counted.add(new CountedMessage(m.message(), m.tokenCount()));
        }
        return counted;
    }
}
