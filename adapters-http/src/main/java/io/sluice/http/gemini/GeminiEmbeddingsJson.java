package io.sluice.http.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.EmbeddingRequest;
import io.sluice.domain.EmbeddingResponse;
import io.sluice.domain.Usage;
import io.sluice.domain.error.UnsupportedFeatureException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI's embeddings call as Gemini's {@code batchEmbedContents} and back: each text one request,
 * {@code dimensions} as {@code outputDimensionality}. Gemini takes text only, so token arrays and fields of OpenAI's
 * API it has no counterpart for are refused naming them. Its answer has no usage; the gateway then bills its own count
 * of the input. Thread-safe.
 */
final class GeminiEmbeddingsJson {
    private final ObjectMapper json;

    GeminiEmbeddingsJson(ObjectMapper json) {
        this.json = json;
    }

    byte[] writeRequest(EmbeddingRequest request) {
        if (!request.tokenArrays().isEmpty()) throw UnsupportedFeatureException.of("gemini", "input", "Token arrays as input");
        if (!request.extraJson().isEmpty()) {
            String field = request.extraJson().keySet().iterator().next();
            throw UnsupportedFeatureException.of("gemini", field, "'" + field + "'");
        }
        ObjectNode root = json.createObjectNode();
        ArrayNode requests = root.putArray("requests");
        for (String text : request.texts()) {
            ObjectNode one = requests.addObject().put("model", "models/" + request.model());
            one.putObject("content").putArray("parts").addObject().put("text", text);
            if (request.dimensions() != null) one.put("outputDimensionality", request.dimensions());
        }
        try {
            return json.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    EmbeddingResponse readResponse(JsonNode root, EmbeddingRequest request) {
        JsonNode embeddings = root.path("embeddings");
        if (!embeddings.isArray() || embeddings.size() != request.inputCount()) {
            throw new IllegalStateException("Gemini answered " + embeddings.size() + " embeddings for " + request.inputCount() + " inputs");
        }
        List<float[]> vectors = new ArrayList<>(embeddings.size());
        for (JsonNode e : embeddings) {
            JsonNode values = e.path("values");
            float[] vector = new float[values.size()];
            for (int i = 0; i < vector.length; i++) vector[i] = values.get(i).floatValue();
            vectors.add(vector);
        }
        int prompt = root.path("usageMetadata").path("promptTokenCount").asInt(0);
        return new EmbeddingResponse(request.model(), vectors, new Usage(prompt, 0, prompt), null, null);
    }
}
