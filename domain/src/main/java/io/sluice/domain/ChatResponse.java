package io.sluice.domain;

/**
 * A complete (non-streamed) answer: the assistant's message, why it stopped, and the tokens it used.
 * {@code createdEpochSeconds} follows OpenAI's {@code created}. {@code upstreamRequestId}: the upstream's own id of
 * the request ({@code x-request-id}), which its support asks for; null when it sent none. {@code wire}: the answer as
 * the upstream encoded it, for a client of the same API ({@link UpstreamWire}); null when there is none.
 */
public record ChatResponse(String id, String model, long createdEpochSeconds, ChatMessage message,
                           String finishReason, Usage usage, String upstreamRequestId, UpstreamWire wire) {
    public ChatResponse {
        Require.nonBlank(id, "id");
        Require.nonBlank(model, "model");
        Require.nonNull(message, "message");
        if (message.role() != Role.ASSISTANT) throw new IllegalArgumentException("'message' must be an assistant message");
        Require.nonNull(usage, "usage");
    }

    public ChatResponse(String id, String model, long createdEpochSeconds, ChatMessage message, String finishReason, Usage usage) {
        this(id, model, createdEpochSeconds, message, finishReason, usage, null, null);
    }

    public ChatResponse(String id, String model, long createdEpochSeconds, ChatMessage message, String finishReason, Usage usage,
                        String upstreamRequestId) {
        this(id, model, createdEpochSeconds, message, finishReason, usage, upstreamRequestId, null);
    }

    public ChatResponse withUpstreamRequestId(String value) {
        return new ChatResponse(id, model, createdEpochSeconds, message, finishReason, usage, value, wire);
    }

    /** The same answer, as named by {@code servedModel} (the model a route or fallback fell to). */
    public ChatResponse withModel(String servedModel) {
        return new ChatResponse(id, servedModel, createdEpochSeconds, message, finishReason, usage, upstreamRequestId, wire);
    }

}
