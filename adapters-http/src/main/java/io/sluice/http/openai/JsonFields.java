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

    public static InvalidRequestException wrongType(String path, String expected) {
        return new InvalidRequestException("Invalid type for '" + path + "': expected " + expected + ".", path, "invalid_type");
    }
}
