package io.sluice.domain;

import java.time.Instant;
import java.util.Map;

/**
 * A message as stored in a conversation: its position ({@code seq}, monotonic from 1), its exact token count in the
 * model's encoding including the per-message framing overhead, and the model that produced or received it.
 */
public record StoredMessage(ConversationId conversationId, long seq, ChatMessage message, int tokenCount,
                            String model, Instant created, Map<String, String> metadata) {
    /** The metadata key of a stored answer that names the request ({@code x-request-id}) that produced it. */
    public static final String REQUEST_ID = "request_id";

    public StoredMessage {
        Require.nonNull(conversationId, "conversationId");
        if (seq < 1) throw new IllegalArgumentException("'seq' must be at least 1, was " + seq);
        Require.nonNull(message, "message");
        Require.nonNegative(tokenCount, "tokenCount");
        Require.nonNull(created, "created");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
