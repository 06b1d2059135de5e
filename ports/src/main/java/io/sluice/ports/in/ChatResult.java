package io.sluice.ports.in;

import io.sluice.domain.ChatResponse;
import io.sluice.domain.ConversationId;
import java.util.Optional;

/** A completed call: the answer, and the conversation it was stored in, if any. */
public record ChatResult(ChatResponse response, Optional<ConversationId> conversationId) {}
