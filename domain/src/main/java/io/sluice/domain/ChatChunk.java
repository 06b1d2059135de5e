package io.sluice.domain;

import java.util.List;

/**
 * One streamed piece of an answer. A chunk carries a role (first chunk only), a content delta, tool-call deltas,
 * a finish reason (last content chunk) or, as the very last chunk, the usage of the whole call; any of these may
 * be null or empty. Immutable.
 */
public record ChatChunk(String id, String model, long createdEpochSeconds, Role role, String contentDelta,
                        List<ToolCallDelta> toolCallDeltas, String finishReason, Usage usage) {
    public ChatChunk {
        Require.nonNull(id, "id");
        Require.nonNull(model, "model");
        toolCallDeltas = toolCallDeltas == null ? List.of() : List.copyOf(toolCallDeltas);
    }

    /** True for the trailing usage chunk, which has no choice. */
    public boolean isUsageOnly() {
        return usage != null && role == null && contentDelta == null && toolCallDeltas.isEmpty() && finishReason == null;
    }

}
