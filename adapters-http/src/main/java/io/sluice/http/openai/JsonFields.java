package io.sluice.http.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.domain.error.InvalidRequestException;

/** Typed reads of optional JSON fields that name the offending field when its type is wrong. */
public final class JsonFields {
    private JsonFields() {}

    public static String optionalString(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) throw wrongType(path, "a string");
        return value.textValue();
    }

    /**
     * The request's {@code model}, or {@code defaultModel} (an API key's route) when it names none: a non-empty string of
     * at most {@link io.sluice.domain.StoredText#MAX_NAME_LENGTH} characters without control characters (it is echoed in
     * a response header).
     */
    public static String model(JsonNode root, java.util.Optional<String> defaultModel) {
        String model = !root.hasNonNull("model") && defaultModel.isPresent() ? defaultModel.get() : optionalString(root, "model", "model");
        if (model == null) throw new InvalidRequestException("Missing required parameter: 'model'.", "model");
        int max = io.sluice.domain.StoredText.MAX_NAME_LENGTH;
        if (model.isBlank() || model.length() > max) {
            throw new InvalidRequestException("'model' must be a non-empty string of at most " + max + " characters", "model");
        }
        io.sluice.domain.StoredText.requireNoControlCharacters(model, "model");
        return model;
    }

    /** A string the request must have, at {@code path} (OpenAI's wording when it is missing). */
    public static String requiredString(JsonNode node, String field, String path) {
        String value = optionalString(node, field, path);
        if (value == null) throw new InvalidRequestException("Missing required parameter: '" + path + "'.", path);
        return value;
    }

    public static Integer optionalInt(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isIntegralNumber() || !value.canConvertToInt()) throw wrongType(field, "an integer");
        return value.intValue();
    }

    public static Double optionalNumber(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isNumber()) throw wrongType(field, "a number");
        return value.doubleValue();
    }

    public static InvalidRequestException wrongType(String path, String expected) {
        return new InvalidRequestException("Invalid type for '" + path + "': expected " + expected + ".", path, "invalid_type");
    }
}
