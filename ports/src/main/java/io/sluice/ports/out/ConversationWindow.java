package io.sluice.ports.out;

import io.sluice.domain.StoredMessage;
import io.sluice.domain.context.Summary;
import java.util.List;

/**
 * The part of a conversation a context is built from: its leading system prompt, and the newest messages after it,
 * oldest first. {@code complete} tells whether {@code recent} reaches back to the system prompt; {@code lastSeq} is
 * the conversation's last seq when the window was read (0 for an empty or unknown conversation); {@code summary} is
 * the conversation's rolling summary, or null.
 */
public record ConversationWindow(List<StoredMessage> systemPrompt, List<StoredMessage> recent, boolean complete, long lastSeq,
                                 Summary summary) {
    public ConversationWindow {
        systemPrompt = List.copyOf(systemPrompt);
        recent = List.copyOf(recent);
    }
}
