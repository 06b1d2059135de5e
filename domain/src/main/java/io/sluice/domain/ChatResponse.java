package io.sluice.domain;

/**
 * A complete (non-streamed) answer: the assistant's message, why it stopped, and the tokens it used.
 * {@code createdEpochSeconds} follows OpenAI's {@code created}.
 */
public record ChatResponse(String id, String model, long createdEpochSeconds, ChatMessage message,
                           String finishReason, Usage usage) {
    public ChatResponse {
        Require.nonBlank(id, "id");
        Require.nonBlank(model, "model");
        Require.nonNull(message, "message");
        if (message.role() != Role.ASSISTANT) throw new IllegalArgumentException("'message' must be an assistant message");
        Require.nonNull(usage, "usage");
    }

}
