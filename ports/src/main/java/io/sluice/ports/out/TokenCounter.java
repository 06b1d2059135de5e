package io.sluice.ports.out;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Encoding;

/** Counts tokens exactly in a model's encoding. Thread-safe. */
public interface TokenCounter {
    int countText(String text, Encoding encoding);

    /** Tokens of one message as OpenAI bills it in a prompt, framing overhead included. */
    int countMessage(ChatMessage message, Encoding encoding);
}
