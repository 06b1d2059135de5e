package io.sluice.domain.context;

import io.sluice.domain.ChatMessage;
import java.util.List;

/**
 * The messages to send upstream, in order, and what they cost: {@code promptTokens} includes framing and reply
 * priming. {@code historyMessagesSent} of {@code historyMessagesAvailable} stored messages (system prompt excluded)
 * made it in.
 */
public record BuiltContext(List<ChatMessage> messages, int promptTokens, int historyMessagesSent, int historyMessagesAvailable) {
    public BuiltContext {
        messages = List.copyOf(messages);
    }
}
