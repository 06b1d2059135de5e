package io.sluice.engine.memory;

import io.sluice.domain.context.Summary;

/**
 * How much of a conversation's stored history a turn's context holds: {@code historySent} of {@code historyAvailable}
 * stored messages (the system prompt apart), and the rolling summary sent before them, or null when none was.
 */
public record ContextSent(int historySent, int historyAvailable, Summary summary) {
    /** A stateless turn's: no stored history. */
    public static final ContextSent NONE = new ContextSent(0, 0, null);
}
