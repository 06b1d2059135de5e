package io.sluice.domain;

/** Tokens consumed by one upstream call. {@code cachedPromptTokens} is the part of the prompt served from cache. */
public record Usage(int promptTokens, int completionTokens, int cachedPromptTokens) {
    public static final Usage ZERO = new Usage(0, 0, 0);

    public Usage {
        Require.nonNegative(promptTokens, "promptTokens");
        Require.nonNegative(completionTokens, "completionTokens");
        Require.nonNegative(cachedPromptTokens, "cachedPromptTokens");
        if (cachedPromptTokens > promptTokens) {
            throw new IllegalArgumentException("'cachedPromptTokens' must not exceed 'promptTokens'");
        }
    }

    public int totalTokens() {
        return promptTokens + completionTokens;
    }
}
