package io.sluice.testkit.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A value that validates against a JSON Schema, as a model would fill it in: what the simulator answers structured
 * output and tool calls with, so that a framework's typed result parses. Covers the subset OpenAI's strict mode
 * allows ({@code type}, {@code properties}, {@code items}, {@code enum}, {@code const}, {@code anyOf}, {@code $ref} into
 * {@code $defs}, number bounds, string lengths and common formats); strings carry {@code text}, the user's words.
 */
final class SchemaExample {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_DEPTH = 12;
    private final JsonNode root;
    private final String text;

    private SchemaExample(JsonNode root, String text) {
        this.root = root;
        this.text = text;
    }

    static JsonNode of(JsonNode schema, String text) {
        return new SchemaExample(schema, text).value(schema, 0);
    }

    private JsonNode value(JsonNode schema, int depth) {
        if (depth > MAX_DEPTH || schema == null || !schema.isObject()) return NullNode.getInstance();
        if (schema.has("$ref")) return value(resolve(schema.path("$ref").asText()), depth + 1);
        if (schema.has("const")) return schema.get("const");
        if (schema.path("enum").isArray() && !schema.path("enum").isEmpty()) return schema.path("enum").get(0);
        for (String union : new String[]{"anyOf", "oneOf", "allOf"}) {
            if (schema.path(union).isArray() && !schema.path(union).isEmpty()) return value(firstNotNull(schema.path(union)), depth + 1);
        }
        String type = type(schema);
        return switch (type) {
            case "object" -> object(schema, depth);
            case "array" -> {
                ArrayNode items = JSON.createArrayNode();
                int count = Math.max(1, schema.path("minItems").asInt(1));
                for (int i = 0; i < count; i++) items.add(value(schema.path("items"), depth + 1));
                yield items;
            }
            case "integer" -> JSON.getNodeFactory().numberNode(number(schema).longValue());
            case "number" -> JSON.getNodeFactory().numberNode(number(schema));
            case "boolean" -> JSON.getNodeFactory().booleanNode(true);
            case "null" -> NullNode.getInstance();
            default -> TextNode.valueOf(string(schema));
        };
    }

    private ObjectNode object(JsonNode schema, int depth) {
        ObjectNode object = JSON.createObjectNode();
        // every property, not only the required ones: strict schemas list all as required and allow no others
        schema.path("properties").fields().forEachRemaining(p -> object.set(p.getKey(), value(p.getValue(), depth + 1)));
        if (object.isEmpty() && !schema.has("properties") && !schema.path("additionalProperties").isBoolean()) object.put("query", text);
        return object;
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) if (!"null".equals(t.asText())) return t.asText();
            return "null";
        }
        if (type.isTextual()) return type.asText();
        if (schema.has("properties")) return "object";
        if (schema.has("items")) return "array";
        return "string";
    }

    private static JsonNode firstNotNull(JsonNode options) {
        for (JsonNode option : options) if (!"null".equals(option.path("type").asText())) return option;
        return options.get(0);
    }

    private JsonNode resolve(String ref) {
        if (!ref.startsWith("#/")) return NullNode.getInstance();
        JsonNode node = root;
        for (String part : ref.substring(2).split("/")) node = node.path(part.replace("~1", "/").replace("~0", "~"));
        return node;
    }

    private static Double number(JsonNode schema) {
        double value = schema.has("minimum") ? schema.path("minimum").asDouble()
                : schema.has("exclusiveMinimum") ? schema.path("exclusiveMinimum").asDouble() + 1 : 1;
        if (schema.has("maximum")) value = Math.min(value, schema.path("maximum").asDouble());
        return value;
    }

    private String string(JsonNode schema) {
        String value = switch (schema.path("format").asText("")) {
            case "date-time" -> "2026-01-01T00:00:00Z";
            case "date" -> "2026-01-01";
            case "time" -> "00:00:00";
            case "email" -> "customer@example.com";
            case "uri", "url" -> "https://example.com/";
            case "uuid" -> "00000000-0000-4000-8000-000000000000";
            default -> text.isBlank() ? "text" : text;
        };
        int min = schema.path("minLength").asInt(0);
        int max = schema.path("maxLength").asInt(Integer.MAX_VALUE);
        StringBuilder padded = new StringBuilder(value);
        while (padded.length() < min) padded.append('x');
        return padded.length() > max ? padded.substring(0, max) : padded.toString();
    }
}
