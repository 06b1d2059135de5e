package io.sluice.http.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.domain.ChatRequest;
import io.sluice.ports.in.ConversationRef;
import java.util.Optional;

/**
 * A validated inbound chat request and the presentation flags the domain does not carry. {@code conversation}: the
 * stored conversation the request itself names (the Responses API's {@code previous_response_id}, {@code conversation},
 * {@code store}); empty when the {@code X-Conversation-Id} header says. {@code raw}: the request as sent, for an API
 * whose answer echoes it (the Responses API); may be null.
 */
public record ParsedChatRequest(ChatRequest request, boolean stream, boolean includeUsage, Optional<ConversationRef> conversation, JsonNode raw) {
    public ParsedChatRequest(ChatRequest request, boolean stream, boolean includeUsage) {
        this(request, stream, includeUsage, Optional.empty(), null);
    }
}
