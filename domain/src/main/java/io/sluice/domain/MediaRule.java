package io.sluice.domain;

/**
 * How a provider counts an image in a prompt, so that a context window and a budget reserve hold what that upstream
 * will bill. Each is the provider's published rule.
 */
public enum MediaRule {
    /** OpenAI: 85 tokens, and 170 per 512-pixel tile of the image scaled to fit 2048 x 2048 with its short side at most 768. */
    OPENAI_TILES,
    /** Anthropic: width x height / 750, the image scaled to a long edge of at most 1568 pixels, and at most about 1,600 tokens. */
    ANTHROPIC_PIXELS,
    /** Gemini: 258 tokens when both sides are at most 384 pixels, else 258 per 768-pixel tile. */
    GEMINI_TILES
}
