package io.sluice.http.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.http.upstream.HttpProvider;
import io.sluice.http.upstream.UpstreamHttp;
import io.sluice.ports.out.ProviderSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** An OpenAI-compatible upstream (OpenAI, DeepSeek, vLLM, Ollama, any relay). Thread-safe. */
final class OpenAiProvider extends HttpProvider {
    private final OpenAiJson json;
    private final Map<String, String> headers;
    private final String completionsUrl;
    private final String embeddingsUrl;

    OpenAiProvider(ProviderSettings settings, UpstreamHttp http) {
        super(settings, http);
        this.json = new OpenAiJson(http.json());
        this.headers = settings.apiKey() == null ? Map.of() : Map.of("authorization", "Bearer " + settings.apiKey());
        this.completionsUrl = UpstreamHttp.join(settings.baseUrl(), "/chat/completions");
        this.embeddingsUrl = UpstreamHttp.join(settings.baseUrl(), "/embeddings");
    }

    @Override
    public CompletionStage<ChatResponse> complete(ChatRequest request, Duration connectTimeout) {
        return http.postChat(completionsUrl, headers, () -> json.writeRequest(request, false), connectTimeout, json::readResponse);
    }

    @Override
    public Flow.Publisher<ChatChunk> stream(ChatRequest request, Duration connectTimeout) {
        return http.stream(completionsUrl, headers, () -> json.writeRequest(request, true), connectTimeout, new OpenAiStreamEvents(json));
    }

    @Override
    public CompletionStage<List<float[]>> embed(String model, List<String> texts) {
        var body = json.mapper().createObjectNode().put("model", model);
        texts.forEach(body.putArray("input")::add);
        return http.post(embeddingsUrl, headers, () -> body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), null,
                root -> vectors(root, texts.size()));
    }

    private static List<float[]> vectors(JsonNode root, int expected) {
        float[][] vectors = new float[expected][];
        for (JsonNode item : root.path("data")) {
            JsonNode embedding = item.path("embedding");
            float[] v = new float[embedding.size()];
            for (int i = 0; i < v.length; i++) v[i] = (float) embedding.get(i).asDouble();
            vectors[item.path("index").asInt()] = v;
        }
        for (float[] v : vectors) if (v == null) throw new IllegalStateException("an embedding is missing");
        return List.of(vectors);
    }
}
