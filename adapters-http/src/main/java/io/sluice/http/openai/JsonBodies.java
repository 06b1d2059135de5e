package io.sluice.http.openai;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.sluice.domain.StoredText;
import io.sluice.domain.error.InvalidRequestException;
import java.io.IOException;

/**
 * Parses a request body as JSON, turning every way it can fail into a 400 that says why: not JSON, not UTF-8, or past
 * one of Jackson's limits (nesting over 1,000 levels, a number over 1,000 digits, a string over 20 M characters), which
 * bound what one body can cost to parse.
 */
public final class JsonBodies {
    private JsonBodies() {}

    /** The body's JSON tree, or null when the body is empty. */
    public static JsonNode read(ObjectMapper json, byte[] body) {
        return read(json.reader(), body);
    }

    /** The body's JSON tree read by {@code reader} (one that keeps decimals exact, say), or null when the body is empty. */
    public static JsonNode read(ObjectReader reader, byte[] body) {
        if (body == null || body.length == 0) return null;
        try {
            return reader.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new InvalidRequestException("The JSON body is past a parser limit: " + clip(e.getOriginalMessage()), null, "invalid_json");
        } catch (JsonProcessingException e) {
            String message = String.valueOf(e.getOriginalMessage());
            if (message.contains("UTF-8") || message.contains("UTF8")) {
                throw new InvalidRequestException("The request body is not valid UTF-8", null, "invalid_encoding");
            }
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new InvalidRequestException("We could not parse the JSON body of your request: " + clip(message) + where, null, "invalid_json");
        } catch (IOException e) {
            throw new InvalidRequestException("We could not read the body of your request", null, "invalid_json");
        }
    }

    /** The body's JSON object; an empty body is an empty object. */
    public static JsonNode readObject(ObjectReader reader, byte[] body) {
        JsonNode root = read(reader, body);
        if (root == null) return reader.createObjectNode();
        if (!root.isObject()) throw new InvalidRequestException("The request body must be a JSON object", null, "invalid_request");
        return root;
    }

    /** Refuses any text in the request, key or value, that the stores could not keep (see {@link StoredText}), naming where it is. */
    public static void requireStorable(JsonNode node, String path) {
        if (node.isTextual()) {
            StoredText.requireStorable(node.textValue(), path);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) requireStorable(node.get(i), path + "[" + i + "]");
        } else if (node.isObject()) {
            for (var field : node.properties()) {
                // a key that cannot be stored is named by where it is: echoing it would echo what is wrong with it
                StoredText.requireStorable(field.getKey(), path.isEmpty() ? "body" : path);
                String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                requireStorable(field.getValue(), at);
            }
        }
    }

    public static String clip(String s) {
        if (s == null) return "";
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }
}
