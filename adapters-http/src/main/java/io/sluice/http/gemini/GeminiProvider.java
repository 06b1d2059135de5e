package io.sluice.http.gemini;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.http.upstream.HttpProvider;
import io.sluice.http.upstream.UpstreamHttp;
import io.sluice.ports.out.ProviderSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Gemini's {@code models/{model}:generateContent} and {@code :streamGenerateContent?alt=sse} behind the
 * OpenAI-shaped port. Thread-safe.
 */
final class GeminiProvider extends HttpProvider {
    private final GeminiJson json;
    private final Map<String, String> headers;

    GeminiProvider(ProviderSettings settings, UpstreamHttp http) {
        super(settings, http);
        this.json = new GeminiJson(http.json());
        this.headers = settings.apiKey() == null ? Map.of() : Map.of("x-goog-api-key", settings.apiKey());
    }

    private String url(String model, String method) {
        return UpstreamHttp.join(settings.baseUrl(), "/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + ":" + method);
    }

    @Override
    public CompletionStage<ChatResponse> complete(ChatRequest request, Duration connectTimeout) {
        return http.postChat(url(request.model(), "generateContent"), headers, () -> json.writeRequest(request), connectTimeout, json::readResponse);
    }

    @Override
    public Flow.Publisher<ChatChunk> stream(ChatRequest request, Duration connectTimeout) {
        return http.stream(url(request.model(), "streamGenerateContent") + "?alt=sse", headers, () -> json.writeRequest(request), connectTimeout,
                new GeminiStreamEvents(json.mapper()));
    }

    @Override
    public io.sluice.domain.MediaRule mediaRule() {
        return io.sluice.domain.MediaRule.GEMINI_TILES;
    }
}
