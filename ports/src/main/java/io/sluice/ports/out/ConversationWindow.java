package io.sluice.ports.out;

import io.sluice.domain.StoredMessage;
import java.util.List;

/**
 * The part of a conversation a context is built from: its leading system prompt, and the newest messages after it,
 * oldest first. {@code complete} tells whether {@code recent} reaches back to the system prompt.
 */
public record ConversationWindow(List<StoredMessage> systemPrompt, List<StoredMessage> recent, boolean complete) {
    public ConversationWindow {
        systemPrompt = List.copyOf(systemPrompt);
        recent = List.copyOf(recent);
    }
}
