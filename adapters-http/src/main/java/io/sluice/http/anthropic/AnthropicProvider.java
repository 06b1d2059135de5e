package io.sluice.http.anthropic;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.http.upstream.HttpProvider;
import io.sluice.http.upstream.UpstreamHttp;
import io.sluice.ports.out.ProviderSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** Anthropic's Messages API ({@code POST {base-url}/messages}) behind the OpenAI-shaped port. Thread-safe. */
final class AnthropicProvider extends HttpProvider {
    static final String API_VERSION = "2023-06-01";

    private final AnthropicJson json;
    private final Map<String, String> headers;
    private final Map<String, String> structuredHeaders;
    private final String messagesUrl;
    private final java.util.Optional<io.sluice.ports.out.UpstreamBatches> batches;

    AnthropicProvider(ProviderSettings settings, UpstreamHttp http, int defaultMaxTokens) {
        super(settings, http);
        this.json = new AnthropicJson(http.json(), defaultMaxTokens);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("anthropic-version", settings.options().getOrDefault("anthropic-version", API_VERSION));
        if (settings.apiKey() != null) h.put("x-api-key", settings.apiKey());
        this.headers = Map.copyOf(h);
        h.merge("anthropic-beta", AnthropicJson.STRUCTURED_OUTPUTS_BETA, (configured, beta) -> configured + "," + beta);
        this.structuredHeaders = Map.copyOf(h);
        this.messagesUrl = UpstreamHttp.join(settings.baseUrl(), "/messages");
        this.batches = Boolean.parseBoolean(settings.options().getOrDefault("batch-api", "true"))
                ? java.util.Optional.of(new AnthropicBatches(http, json, headers, structuredHeaders, settings.baseUrl())) : java.util.Optional.empty();
    }

    @Override
    public CompletionStage<ChatResponse> complete(ChatRequest request, Duration connectTimeout) {
        return http.postChat(request.model(), messagesUrl, headersFor(request), () -> json.writeRequest(request, false), connectTimeout, json::readResponse);
    }

    @Override
    public Flow.Publisher<ChatChunk> stream(ChatRequest request, Duration connectTimeout) {
        return http.stream(request.model(), messagesUrl, headersFor(request), () -> json.writeRequest(request, true), connectTimeout,
                new AnthropicStreamEvents(json.mapper()));
    }

    @Override
    public java.util.Optional<io.sluice.ports.out.UpstreamBatches> batches() {
        return batches;
    }

    private Map<String, String> headersFor(ChatRequest request) {
        return AnthropicJson.needsStructuredOutputs(request.options()) ? structuredHeaders : headers;
    }

    @Override
    public io.sluice.domain.MediaRule mediaRule() {
        return io.sluice.domain.MediaRule.ANTHROPIC_PIXELS;
    }
}
