package io.sluice.http.anthropic;

import io.sluice.http.upstream.UpstreamHttp;
import io.sluice.ports.out.LlmProvider;
import io.sluice.ports.out.LlmProviderFactory;
import io.sluice.ports.out.ProviderEnvironment;
import io.sluice.ports.out.ProviderSettings;

/**
 * Provider type {@value #ID}: Anthropic's Messages API. {@code base-url} is e.g. {@code https://api.anthropic.com/v1};
 * options: {@code default-max-tokens} (the API requires max_tokens; 4096 when a request sets none) and
 * {@code anthropic-version}. Thread-safe.
 */
public final class AnthropicProviderFactory implements LlmProviderFactory {
    public static final String ID = "anthropic";
    static final int DEFAULT_MAX_TOKENS = 4096;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public LlmProvider create(ProviderSettings settings, ProviderEnvironment environment) {
        String max = settings.options().get("default-max-tokens");
        int defaultMaxTokens;
        try {
            defaultMaxTokens = max == null ? DEFAULT_MAX_TOKENS : Integer.parseInt(max.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option 'default-max-tokens' of provider '" + settings.name() + "' must be a whole number, was '" + max + "'");
        }
        return new AnthropicProvider(settings, UpstreamHttp.create(settings, environment), defaultMaxTokens);
    }
}
