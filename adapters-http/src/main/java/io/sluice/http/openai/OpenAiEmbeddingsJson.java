package io.sluice.http.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.sluice.domain.EmbeddingRequest;
import io.sluice.domain.EmbeddingResponse;
import io.sluice.domain.StoredText;
import io.sluice.domain.Usage;
import io.sluice.domain.error.InvalidRequestException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * OpenAI's embeddings API on the wire, both ways: a client's request read and checked (naming the offending field), the
 * request written for an upstream, the upstream's answer read, and the answer written for the client (the upstream's
 * own JSON when it was OpenAI-shaped, so base64 vectors and fields added later pass whole). Thread-safe.
 */
public final class OpenAiEmbeddingsJson {
    private static final Set<String> READ_FIELDS = Set.of("model", "input", "dimensions", "encoding_format", "user");
    private final ObjectMapper json;

    public OpenAiEmbeddingsJson(ObjectMapper json) {
        this.json = json;
    }

    // ---- a client's request

    public EmbeddingRequest readRequest(byte[] body, Optional<String> defaultModel) {
        JsonNode root = JsonBodies.read(json, body);
        if (root == null) throw new InvalidRequestException("The request body is empty", null, "invalid_json");
        if (!root.isObject()) throw new InvalidRequestException("The request body must be a JSON object", null);
        JsonBodies.requireStorable(root, "");
        String model = JsonFields.model(root, defaultModel);
        List<String> texts = new ArrayList<>();
        List<List<Integer>> tokenArrays = new ArrayList<>();
        input(root.get("input"), texts, tokenArrays);
        String format = JsonFields.optionalString(root, "encoding_format", "encoding_format");
        if (format != null && !format.equals("float") && !format.equals("base64")) {
            throw new InvalidRequestException("'encoding_format' must be 'float' or 'base64'", "encoding_format");
        }
        JsonNode dimensions = root.get("dimensions");
        if (dimensions != null && !dimensions.isNull() && !(dimensions.canConvertToInt() && dimensions.isIntegralNumber() && dimensions.intValue() >= 1)) {
            throw new InvalidRequestException("'dimensions' must be a positive integer", "dimensions");
        }
        String user = JsonFields.optionalString(root, "user", "user");
        StoredText.requireName(user, "user");
        Map<String, String> extras = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!READ_FIELDS.contains(field.getKey())) extras.put(field.getKey(), field.getValue().toString());
        }
        return new EmbeddingRequest(model, texts, tokenArrays, dimensions == null || dimensions.isNull() ? null : dimensions.intValue(), format, user,
                extras);
    }

    /** A string, an array of strings, an array of token ids, or an array of such arrays; never empty. */
    private static void input(JsonNode input, List<String> texts, List<List<Integer>> tokenArrays) {
        if (input == null || input.isNull()) throw new InvalidRequestException("Missing required parameter: 'input'.", "input");
        if (input.isTextual()) {
            texts.add(nonEmpty(input.textValue(), "input"));
            return;
        }
        if (!input.isArray() || input.isEmpty()) {
            throw new InvalidRequestException("'input' must be a non-empty string or array", "input");
        }
        if (input.size() > EmbeddingRequest.MAX_INPUTS) {
            throw new InvalidRequestException("'input' holds at most " + EmbeddingRequest.MAX_INPUTS + " items", "input");
        }
        if (input.get(0).isIntegralNumber()) {
            tokenArrays.add(tokens(input, "input"));
            return;
        }
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            String path = "input[" + i + "]";
            if (item.isTextual()) texts.add(nonEmpty(item.textValue(), path));
            else if (item.isArray() && !item.isEmpty()) tokenArrays.add(tokens(item, path));
            else throw JsonFields.wrongType(path, "a non-empty string or array of token ids");
        }
        if (!texts.isEmpty() && !tokenArrays.isEmpty()) throw new InvalidRequestException("'input' must not mix texts and token arrays", "input");
    }

    private static String nonEmpty(String text, String path) {
        if (text.isEmpty()) throw new InvalidRequestException("'" + path + "' must not be empty", path);
        return text;
    }

    private static List<Integer> tokens(JsonNode array, String path) {
        List<Integer> ids = new ArrayList<>(array.size());
        for (JsonNode id : array) {
            if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) throw JsonFields.wrongType(path, "an array of token ids");
            ids.add(id.intValue());
        }
        return ids;
    }

    // ---- to an upstream, and its answer

    public byte[] writeRequest(EmbeddingRequest request) {
        ObjectNode root = json.createObjectNode();
        for (Map.Entry<String, String> extra : request.extraJson().entrySet()) root.putRawValue(extra.getKey(), new RawValue(extra.getValue()));
        root.put("model", request.model());
        ArrayNode input = root.putArray("input");
        request.texts().forEach(input::add);
        for (List<Integer> ids : request.tokenArrays()) ids.forEach(input.addArray()::add);
        if (request.dimensions() != null) root.put("dimensions", request.dimensions());
        if (request.encodingFormat() != null) root.put("encoding_format", request.encodingFormat());
        if (request.user() != null) root.put("user", request.user());
        return root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The vectors in input order (none when they came base64 encoded: the wire holds them), and the usage. */
    public EmbeddingResponse readResponse(JsonNode root, int inputs) {
        float[][] vectors = new float[inputs][];
        boolean floats = true;
        for (JsonNode item : root.path("data")) {
            JsonNode embedding = item.path("embedding");
            int index = item.path("index").asInt(-1);
            if (index < 0 || index >= inputs) throw new IllegalStateException("an embedding's index is out of range");
            if (!embedding.isArray()) {
                floats = false;
                continue;
            }
            float[] v = new float[embedding.size()];
            for (int i = 0; i < v.length; i++) v[i] = (float) embedding.get(i).asDouble();
            vectors[index] = v;
        }
        if (floats) for (float[] v : vectors) if (v == null) throw new IllegalStateException("an embedding is missing");
        int prompt = Math.max(0, root.path("usage").path("prompt_tokens").asInt(0));
        return new EmbeddingResponse(root.path("model").asText("unknown"), floats ? List.of(vectors) : List.of(), new Usage(prompt, 0, 0),
                root instanceof ObjectNode node ? new OpenAiWire(node, OpenAiWire.EMBEDDINGS) : null, null);
    }

    // ---- to our clients

    /** The upstream's answer with the gateway's name for the model, or one built in OpenAI's shape. */
    public byte[] writeResponse(EmbeddingResponse response, String encodingFormat) {
        ObjectNode root = json.createObjectNode();
        if (response.wire() instanceof OpenAiWire wire && OpenAiWire.EMBEDDINGS.equals(wire.api())) {
            root.setAll(wire.node());
            root.put("model", response.model());
            return root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        boolean base64 = "base64".equals(encodingFormat);
        for (int i = 0; i < response.vectors().size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            float[] v = response.vectors().get(i);
            if (base64) item.put("embedding", base64(v));
            else {
                ArrayNode values = item.putArray("embedding");
                for (float f : v) values.add(f);
            }
        }
        root.put("model", response.model());
        root.putObject("usage").put("prompt_tokens", response.usage().promptTokens()).put("total_tokens", response.usage().promptTokens());
        return root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** OpenAI's base64 encoding: the float32 values, little-endian. */
    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : vector) bytes.putFloat(f);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
