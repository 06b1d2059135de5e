package io.sluice.engine;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Encoding;
import io.sluice.domain.ToolCall;
import io.sluice.domain.Usage;
import io.sluice.engine.internal.StreamAccumulator;
import io.sluice.ports.in.ServedBy;
import io.sluice.ports.out.TokenCounter;

/**
 * What a call delivered when it ended: who served it (null when nothing was served, so nothing is billed), the reply
 * as far as the client got it (null when none), the usage to bill and, for an answer from the response cache, what
 * that saved (null otherwise); {@code abandoned}: a slow model's attempt called off when another answered first
 * (a tier's {@code fallback-after}), whose prompt is billed too, or null. Immutable.
 */
record Delivery(ServedBy by, ChatMessage reply, Usage usage, io.sluice.domain.usage.UsageEntry.CacheHit cacheHit, ServedBy abandoned) {
    static final Delivery NOTHING = new Delivery(null, null, Usage.ZERO);

    Delivery {
        usage = usage == null ? Usage.ZERO : usage;
    }

    Delivery(ServedBy by, ChatMessage reply, Usage usage) {
        this(by, reply, usage, null, null);
    }

    /** The same delivery, served from the response cache. */
    Delivery cached(io.sluice.domain.usage.UsageEntry.CacheHit hit) {
        return new Delivery(by, reply, usage, hit, abandoned);
    }

    /** The same delivery, with the attempt of a slower model called off for it (none when null). */
    Delivery abandoning(ServedBy attempt) {
        return new Delivery(by, reply, usage, cacheHit, attempt);
    }

    boolean served() {
        return by != null;
    }

    boolean hasReply() {
        return reply != null;
    }

    /**
     * What a stream delivered: its reply as far as the client was given it, and the upstream's usage or, when it sent
     * none before the end (a cut, a cancel), the prompt and the delivered content and tool-call arguments counted here.
     */
    static Delivery streamed(ServedBy by, StreamAccumulator delivered, int promptTokens, TokenCounter tokens, Encoding encoding) {
        if (by == null) return NOTHING;
        ChatMessage reply = delivered.isEmpty() ? null : delivered.message();
        if (delivered.usage() != null) return new Delivery(by, reply, delivered.usage());
        int completion = 0;
        if (reply != null && reply.content() != null) completion += tokens.countText(reply.content(), encoding);
        if (reply != null) for (ToolCall call : reply.toolCalls()) completion += tokens.countText(call.name() + call.argumentsJson(), encoding);
        return new Delivery(by, reply, new Usage(promptTokens, completion, 0));
    }
}
