package io.sluice.domain.context;

import io.sluice.domain.Require;

/** A conversation's rolling summary: its text, the last seq it covers, and its token count as a message. */
public record Summary(String text, long throughSeq, int tokens) {
    public Summary {
        Require.nonBlank(text, "text");
        if (throughSeq < 1) throw new IllegalArgumentException("'throughSeq' must be at least 1, was " + throughSeq);
        Require.nonNegative(tokens, "tokens");
    }

    /** How the summary is sent upstream: one system message after the system prompt. */
    public io.sluice.domain.ChatMessage asMessage() {
        return io.sluice.domain.ChatMessage.system(prefix() + text);
    }

    public static String prefix() {
        return "Summary of the earlier part of this conversation:\n";
    }
}
