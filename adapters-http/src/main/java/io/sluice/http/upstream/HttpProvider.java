package io.sluice.http.upstream;

import io.sluice.domain.ChatChunk;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.ChatResponse;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.ProviderSettings;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** A provider over {@link UpstreamHttp}: what every HTTP adapter shares, so that each writes only its API's calls. */
public abstract class HttpProvider implements LlmProvider {
    protected final ProviderSettings settings;
    protected final UpstreamHttp http;

    protected HttpProvider(ProviderSettings settings, UpstreamHttp http) {
        this.settings = settings;
        this.http = http;
    }

    @Override
    public String name() {
        return settings.name();
    }

    /** The provider's type as {@code gen_ai.provider.name} has it: an OpenAI-compatible server is {@code openai}, as the conventions say. */
    @Override
    public String system() {
        return switch (settings.type()) {
            case "openai", "anthropic" -> settings.type();
            case "gemini" -> "gcp.gemini";
            default -> "_OTHER";
        };
    }

    @Override
    public CompletionStage<ChatResponse> complete(ChatRequest request) {
        return complete(request, null);
    }

    /** @param connectTimeout null for the client's own */
    @Override
    public abstract CompletionStage<ChatResponse> complete(ChatRequest request, Duration connectTimeout);

    @Override
    public Flow.Publisher<ChatChunk> stream(ChatRequest request) {
        return stream(request, null);
    }

    /** @param connectTimeout null for the client's own */
    @Override
    public abstract Flow.Publisher<ChatChunk> stream(ChatRequest request, Duration connectTimeout);

    @Override
    public io.sluice.ports.out.UpstreamQuota quota(String upstreamModel) {
        return http.quota(upstreamModel);
    }

    @Override
    public void close() {
        http.close();
    }
}
