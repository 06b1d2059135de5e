package io.sluice.domain;

/**
 * A tool the model may call. {@code type} is OpenAI's: {@code function} (JSON arguments, {@code parametersJson} a
 * JSON Schema as raw JSON text, or null for none) or {@code custom} (free-form text input). {@code strict}: the
 * arguments must follow the schema exactly; null when the client did not say. {@code wireJson}: the tool as the
 * client sent it, so an upstream of the same API gets fields the gateway does not read; null when built in code.
 */
public record ToolDefinition(String type, String name, String description, String parametersJson, Boolean strict, String wireJson) {
    public static final String FUNCTION = "function";
    public static final String CUSTOM = "custom";

    public ToolDefinition {
        Require.nonBlank(name, "name");
        type = type == null ? FUNCTION : type;
        if (!type.equals(FUNCTION) && !type.equals(CUSTOM)) throw new IllegalArgumentException("'type' must be 'function' or 'custom'");
    }

    public ToolDefinition(String name, String description, String parametersJson) {
        this(FUNCTION, name, description, parametersJson, null, null);
    }

    public boolean isFunction() {
        return type.equals(FUNCTION);
    }
}
