package io.sluice.domain;

/**
 * Tokens consumed by one upstream call. {@code promptTokens} counts the whole prompt, as OpenAI does;
 * {@code cachedPromptTokens} is the part of it read from the provider's prompt cache, {@code cacheWriteTokens} the
 * part written to it (Anthropic bills both apart from plain input).
 */
public record Usage(int promptTokens, int completionTokens, int cachedPromptTokens, int cacheWriteTokens) {
    public static final Usage ZERO = new Usage(0, 0, 0);

    public Usage {
        Require.nonNegative(promptTokens, "promptTokens");
        Require.nonNegative(completionTokens, "completionTokens");
        Require.nonNegative(cachedPromptTokens, "cachedPromptTokens");
        Require.nonNegative(cacheWriteTokens, "cacheWriteTokens");
        if ((long) cachedPromptTokens + cacheWriteTokens > promptTokens) {
            throw new IllegalArgumentException("'cachedPromptTokens' and 'cacheWriteTokens' must not exceed 'promptTokens'");
        }
    }

    public Usage(int promptTokens, int completionTokens, int cachedPromptTokens) {
        this(promptTokens, completionTokens, cachedPromptTokens, 0);
    }

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
