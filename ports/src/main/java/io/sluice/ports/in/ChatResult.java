package io.sluice.ports.in;

import io.sluice.domain.ChatResponse;
import io.sluice.domain.ConversationId;
import java.util.Optional;

/**
 * A completed call: the answer, the conversation it was stored in, if any, which model served it, how long it waited
 * on the upstream and on storage, and what it cost (in US dollars, as billed).
 */
public record ChatResult(ChatResponse response, Optional<ConversationId> conversationId, ServedBy servedBy, CallTimings timings,
                         java.math.BigDecimal cost) {}
