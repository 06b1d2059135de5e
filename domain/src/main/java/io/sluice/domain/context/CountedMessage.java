package io.sluice.domain.context;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Require;

/** A message and its exact token count (framing included) in the model's encoding. */
public record CountedMessage(ChatMessage message, int tokens) {
    public CountedMessage {
        Require.nonNull(message, "message");
        Require.nonNegative(tokens, "tokens");
    }
}
