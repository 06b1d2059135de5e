package io.sluice.domain;

/**
 * A function call requested by the assistant. {@code argumentsJson} is the raw JSON text the model produced;
 * it is kept verbatim because models do not always produce valid JSON and the caller must see what was said.
 */
public record ToolCall(String id, String name, String argumentsJson) {
    public ToolCall {
        Require.nonBlank(id, "id");
        Require.nonBlank(name, "name");
        Require.nonNull(argumentsJson, "argumentsJson");
    }
}
