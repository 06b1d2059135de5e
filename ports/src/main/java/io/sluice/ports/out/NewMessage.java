package io.sluice.ports.out;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.Require;
import java.util.Map;

/** A message to append to a conversation; the store assigns its seq and time. {@code model} may be null. */
public record NewMessage(ChatMessage message, int tokenCount, String model, Map<String, String> metadata) {
    public NewMessage {
        Require.nonNull(message, "message");
        Require.nonNegative(tokenCount, "tokenCount");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
