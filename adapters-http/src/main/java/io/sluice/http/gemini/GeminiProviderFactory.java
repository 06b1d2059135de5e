package io.sluice.http.gemini;

import io.sluice.http.upstream.UpstreamHttp;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.LlmProviderFactory;
import io.sluice.ports.out.ProviderEnvironment;
import io.sluice.ports.out.ProviderSettings;

/**
 * Provider type {@value #ID}: Google's Gemini API. {@code base-url} is e.g.
 * {@code https://generativelanguage.googleapis.com/v1beta}; the key goes in {@code x-goog-api-key}. Thread-safe.
 */
public final class GeminiProviderFactory implements LlmProviderFactory {
    public static final String ID = "gemini";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public LlmProvider create(ProviderSettings settings, ProviderEnvironment environment) {
        return new GeminiProvider(settings, UpstreamHttp.create(settings, environment));
    }
}
