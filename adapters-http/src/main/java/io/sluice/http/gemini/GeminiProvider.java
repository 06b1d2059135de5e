package io.sluice.http.gemini;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.domain.EmbeddingRequest;
import io.sluice.domain.EmbeddingResponse;
import io.sluice.http.upstream.HttpProvider;
import io.sluice.http.upstream.UpstreamHttp;
import io.sluice.ports.out.ProviderSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Gemini's {@code models/{model}:generateContent}, {@code :streamGenerateContent?alt=sse} and
 * {@code :batchEmbedContents} behind the OpenAI-shaped port. Thread-safe.
 */
final class GeminiProvider extends HttpProvider {
    private final GeminiJson json;
    private final GeminiEmbeddingsJson embeddingsJson;
    private final Map<String, String> headers;

    GeminiProvider(ProviderSettings settings, UpstreamHttp http) {
        super(settings, http);
        this.json = new GeminiJson(http.json());
        this.embeddingsJson = new GeminiEmbeddingsJson(http.json());
        this.headers = settings.apiKey() == null ? Map.of() : Map.of("x-goog-api-key", settings.apiKey());
    }

    private String url(String model, String method) {
        return UpstreamHttp.join(settings.baseUrl(), "/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + ":" + method);
    }

    @Override
    public CompletionStage<ChatResponse> complete(ChatRequest request, Duration connectTimeout) {
        return http.postChat(request.model(), url(request.model(), "generateContent"), headers, () -> json.writeRequest(request), connectTimeout, json::readResponse);
    }

    @Override
    public Flow.Publisher<ChatChunk> stream(ChatRequest request, Duration connectTimeout) {
        return http.stream(request.model(), url(request.model(), "streamGenerateContent") + "?alt=sse", headers, () -> json.writeRequest(request), connectTimeout,
                new GeminiStreamEvents(json.mapper()));
    }

    /**
     * {@code models/{model}:batchEmbedContents}: one request per text, {@value GeminiEmbeddingsJson#MAX_BATCH} texts a
     * call (Gemini refuses more), the calls one after another and their vectors joined in input order.
     */
    @Override
    public CompletionStage<EmbeddingResponse> embeddings(EmbeddingRequest request, Duration connectTimeout) {
        List<EmbeddingRequest> batches;
        try {
            batches = embeddingsJson.batches(request);
        } catch (RuntimeException refused) {
            return java.util.concurrent.CompletableFuture.failedFuture(refused);
        }
        CompletionStage<EmbeddingResponse> joined = null;
        for (EmbeddingRequest batch : batches) {
            java.util.function.Supplier<CompletionStage<EmbeddingResponse>> call = () -> http.post(url(request.model(), "batchEmbedContents"),
                    headers, () -> embeddingsJson.writeRequest(batch), connectTimeout, root -> embeddingsJson.readResponse(root, batch));
            joined = joined == null ? call.get() : joined.thenCompose(before -> call.get().thenApply(next -> GeminiEmbeddingsJson.join(before, next)));
        }
        return joined;
    }

    @Override
    public CompletionStage<List<float[]>> embed(String model, List<String> texts) {
        return embeddings(new EmbeddingRequest(model, texts, null, null, null, null, null), null).thenApply(EmbeddingResponse::vectors);
    }

    @Override
    public io.sluice.domain.MediaRule mediaRule() {
        return io.sluice.domain.MediaRule.GEMINI_TILES;
    }
}
