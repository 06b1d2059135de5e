package io.sluice.engine.internal;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.StoredMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One call in progress: the conversation it belongs to (null when stateless), the stored history, and the caller's
 * new messages. Immutable.
 */
public record Turn(Conversation conversation, List<StoredMessage> history, ChatRequest request) {
    public static Turn stateless(ChatRequest request) {
        return new Turn(null, List.of(), request);
    }

    public boolean isStored() {
        return conversation != null;
    }

    public Optional<ConversationId> conversationId() {
        return isStored() ? Optional.of(conversation.id()) : Optional.empty();
    }

    /** The request to send upstream: the history in front of the new messages, under the upstream's model name. */
    public ChatRequest upstreamRequest(String upstreamModel) {
        List<ChatMessage> all = new ArrayList<>(history.size() + request.messages().size());
        for (StoredMessage m : history) all.add(m.message());
        all.addAll(request.messages());
        return new ChatRequest(upstreamModel, all, request.options());
    }
}
