package io.sluice.ports.out;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Require;
import io.sluice.domain.Role;
import io.sluice.domain.Usage;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * An answer kept by the response cache: the model that served it, its message and finish reason, the usage and cost of
 * the call that produced it (what each hit saves), and when it expires. Immutable.
 */
public record CachedAnswer(String model, ChatMessage message, String finishReason, Usage usage, BigDecimal cost, Instant expires) {
    public CachedAnswer {
        Require.nonBlank(model, "model");
        Require.nonNull(message, "message");
        if (message.role() != Role.ASSISTANT) throw new IllegalArgumentException("'message' must be an assistant message");
        Require.nonNull(usage, "usage");
        Require.nonNull(cost, "cost");
        Require.nonNull(expires, "expires");
    }

    /** Characters of text it holds: what it weighs in a cache sized in bytes (two per character, as Java keeps them). */
    public long chars() {
        return 64 + model.length() + message.chars();
    }
}
