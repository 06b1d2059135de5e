package io.sluice.http.openai;

import io.sluice.http.upstream.UpstreamHttp;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.LlmProviderFactory;
import io.sluice.ports.out.ProviderEnvironment;
import io.sluice.ports.out.ProviderSettings;

/**
 * Provider type {@value #ID}: any OpenAI-compatible chat-completions endpoint. Uses the host's Vert.x instance when
 * the environment offers one. Thread-safe.
 */
public final class OpenAiProviderFactory implements LlmProviderFactory {
    public static final String ID = "openai";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public LlmProvider create(ProviderSettings settings, ProviderEnvironment environment) {
        return new OpenAiProvider(settings, UpstreamHttp.create(settings, environment));
    }
}
