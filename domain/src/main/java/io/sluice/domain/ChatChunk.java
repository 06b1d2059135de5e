package io.sluice.domain;

import java.util.List;

/**
 * One streamed piece of an answer. A chunk carries a role (first chunk only), a content delta, tool-call deltas,
 * a finish reason (last content chunk) or, as the very last chunk, the usage of the whole call; any of these may
 * be null or empty. {@code upstreamRequestId}: on a stream's first chunk, the upstream's own id of the request
 * ({@code x-request-id}); null on every other chunk, and when it sent none. {@code wire}: the chunk as the upstream
 * encoded it ({@link UpstreamWire}), or null; a chunk that only carries choices other than the first has no delta of
 * its own, only its wire. Immutable.
 */
public record ChatChunk(String id, String model, long createdEpochSeconds, Role role, String contentDelta,
                        List<ToolCallDelta> toolCallDeltas, String finishReason, Usage usage, String upstreamRequestId,
                        UpstreamWire wire) {
    public ChatChunk {
        Require.nonNull(id, "id");
        Require.nonNull(model, "model");
        toolCallDeltas = toolCallDeltas == null ? List.of() : List.copyOf(toolCallDeltas);
    }

    public ChatChunk(String id, String model, long createdEpochSeconds, Role role, String contentDelta, List<ToolCallDelta> toolCallDeltas,
                     String finishReason, Usage usage) {
        this(id, model, createdEpochSeconds, role, contentDelta, toolCallDeltas, finishReason, usage, null, null);
    }

    public ChatChunk withUpstreamRequestId(String value) {
        return new ChatChunk(id, model, createdEpochSeconds, role, contentDelta, toolCallDeltas, finishReason, usage, value, wire);
    }

    /** The same chunk, as named by {@code servedModel} (the model a route or fallback fell to). */
    public ChatChunk withModel(String servedModel) {
        return new ChatChunk(id, servedModel, createdEpochSeconds, role, contentDelta, toolCallDeltas, finishReason, usage, upstreamRequestId, wire);
    }

    /** The same chunk with {@code value} as its usage (the stream's usage, kept past the chunk that carried it). */
    public ChatChunk withUsage(Usage value) {
        return new ChatChunk(id, model, createdEpochSeconds, role, contentDelta, toolCallDeltas, finishReason, value, upstreamRequestId, wire);
    }

    /** True for the trailing usage chunk, which has no choice. */
    public boolean isUsageOnly() {
        return usage != null && role == null && contentDelta == null && toolCallDeltas.isEmpty() && finishReason == null;
    }

}
