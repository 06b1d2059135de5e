package io.sluice.ports.out;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Encoding;
import io.sluice.domain.MediaRule;

/** Counts tokens exactly in a model's encoding. Thread-safe. */
public interface TokenCounter {
    int countText(String text, Encoding encoding);

    /** Tokens of one message as OpenAI bills it in a prompt, framing overhead included. */
    default int countMessage(ChatMessage message, Encoding encoding) {
        return countMessage(message, encoding, MediaRule.OPENAI_TILES);
    }

    /** As {@link #countMessage(ChatMessage, Encoding)}, its images counted by {@code media}: the rule of the provider it goes to. */
    int countMessage(ChatMessage message, Encoding encoding, MediaRule media);
}
