package io.sluice.domain;

/**
 * A fragment of a streamed tool call. The first fragment of a call carries its {@code id} and {@code name};
 * later fragments carry only more {@code argumentsDelta} for the same {@code index}. Nullable fields may be null.
 */
public record ToolCallDelta(int index, String id, String name, String argumentsDelta) {
    public ToolCallDelta {
        Require.nonNegative(index, "index");
    }
}
