package io.sluice.http.openai;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.EmbeddingRequest;
import io.sluice.domain.EmbeddingResponse;
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
    private final OpenAiEmbeddingsJson embeddingsJson;
    private final Map<String, String> headers;
    private final String completionsUrl;
    private final String embeddingsUrl;
    private final java.util.Optional<io.sluice.ports.out.UpstreamBatches> batches;

    OpenAiProvider(ProviderSettings settings, UpstreamHttp http) {
        super(settings, http);
        this.json = new OpenAiJson(http.json());
        this.embeddingsJson = new OpenAiEmbeddingsJson(http.json());
        this.headers = settings.apiKey() == null ? Map.of() : Map.of("authorization", "Bearer " + settings.apiKey());
        this.completionsUrl = UpstreamHttp.join(settings.baseUrl(), "/chat/completions");
        this.embeddingsUrl = UpstreamHttp.join(settings.baseUrl(), "/embeddings");
        // an OpenAI-compatible server without a batch API answers 404, and the gateway runs the batch itself
        this.batches = Boolean.parseBoolean(settings.options().getOrDefault("batch-api", "true"))
                ? java.util.Optional.of(new OpenAiBatches(http, json, headers, settings.baseUrl())) : java.util.Optional.empty();
    }

    @Override
    public CompletionStage<ChatResponse> complete(ChatRequest request, Duration connectTimeout) {
        return http.postChat(request.model(), completionsUrl, headers, () -> json.writeRequest(request, false), connectTimeout, json::readResponse);
    }

    @Override
    public Flow.Publisher<ChatChunk> stream(ChatRequest request, Duration connectTimeout) {
        return http.stream(request.model(), completionsUrl, headers, () -> json.writeRequest(request, true), connectTimeout, new OpenAiStreamEvents(json));
    }

    @Override
    public java.util.Optional<io.sluice.ports.out.UpstreamBatches> batches() {
        return batches;
    }

    @Override
    public CompletionStage<EmbeddingResponse> embeddings(EmbeddingRequest request, Duration connectTimeout) {
        return http.post(embeddingsUrl, headers, () -> embeddingsJson.writeRequest(request), connectTimeout,
                root -> embeddingsJson.readResponse(root, request.inputCount()));
    }

    @Override
    public CompletionStage<List<float[]>> embed(String model, List<String> texts) {
        return embeddings(new EmbeddingRequest(model, texts, null, null, null, null, null), null).thenApply(EmbeddingResponse::vectors);
    }
}
