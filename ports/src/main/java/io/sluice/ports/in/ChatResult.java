package io.sluice.ports.in;

import io.sluice.domain.ChatResponse;
import io.sluice.domain.ConversationId;
import java.util.Optional;

/**
 * A completed call: the answer, the conversation it was stored in, if any, which model served it, how long it waited
 * on the upstream and on storage, what it cost (in US dollars, as billed) and whether the response cache answered it;
 * {@code rateLimit}: the tightest of the gateway's rate limits it counted against, and what that left (null for none).
 */
public record ChatResult(ChatResponse response, Optional<ConversationId> conversationId, ServedBy servedBy, CallTimings timings,
                         java.math.BigDecimal cost, CacheStatus cache, io.sluice.domain.limits.LimitDecision rateLimit) {
    public ChatResult {
        cache = cache == null ? CacheStatus.BYPASS : cache;
    }

    public ChatResult(ChatResponse response, Optional<ConversationId> conversationId, ServedBy servedBy, CallTimings timings,
                      java.math.BigDecimal cost, CacheStatus cache) {
        this(response, conversationId, servedBy, timings, cost, cache, null);
    }

    public ChatResult(ChatResponse response, Optional<ConversationId> conversationId, ServedBy servedBy, CallTimings timings,
                      java.math.BigDecimal cost) {
        this(response, conversationId, servedBy, timings, cost, CacheStatus.BYPASS);
    }
}
