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
 * {@code dimensions} as {@code outputDimensionality}, {@value #MAX_BATCH} texts a call. Gemini takes text only, so
 * token arrays and fields of OpenAI's API it has no counterpart for are refused naming them; {@code user} (OpenAI's
 * end-user id for abuse monitoring) is not sent. Its answer has no usage; the gateway then bills its own count of the
 * input. Thread-safe.
 */
final class GeminiEmbeddingsJson {
    /** The most requests {@code batchEmbedContents} takes in one call. */
    static final int MAX_BATCH = 100;
    private final ObjectMapper json;

    GeminiEmbeddingsJson(ObjectMapper json) {
        this.json = json;
    }

    /** The request in calls Gemini takes, checked first: what Gemini has no counterpart for is refused before anything is sent. */
    List<EmbeddingRequest> batches(EmbeddingRequest request) {
        if (!request.tokenArrays().isEmpty()) throw UnsupportedFeatureException.of("gemini", "input", "Token arrays as input");
        if (!request.extraJson().isEmpty()) {
            String field = request.extraJson().keySet().iterator().next();
            throw UnsupportedFeatureException.of("gemini", field, "'" + field + "'");
        }
        List<EmbeddingRequest> batches = new ArrayList<>();
        List<String> texts = request.texts();
        for (int from = 0; from < texts.size(); from += MAX_BATCH) {
            batches.add(new EmbeddingRequest(request.model(), texts.subList(from, Math.min(texts.size(), from + MAX_BATCH)), null,
                    request.dimensions(), request.encodingFormat(), request.user(), request.extraJson()));
        }
        return batches;
    }

    /** Two answers of consecutive batches as one. */
    static EmbeddingResponse join(EmbeddingResponse first, EmbeddingResponse next) {
        List<float[]> vectors = new ArrayList<>(first.vectors());
        vectors.addAll(next.vectors());
        Usage a = first.usage();
        Usage b = next.usage();
        return new EmbeddingResponse(first.model(), vectors, new Usage(a.promptTokens() + b.promptTokens(), 0, 0), null, null);
    }

    byte[] writeRequest(EmbeddingRequest request) {
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
        return new EmbeddingResponse(request.model(), vectors, new Usage(prompt, 0, 0), null, null);
    }
}
