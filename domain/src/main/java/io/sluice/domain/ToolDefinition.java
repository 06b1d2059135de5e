package io.sluice.domain;

/** A function the model may call. {@code parametersJson} is a JSON Schema as raw JSON text, or null for none. */
public record ToolDefinition(String name, String description, String parametersJson) {
    public ToolDefinition {
        Require.nonBlank(name, "name");
    }
}
