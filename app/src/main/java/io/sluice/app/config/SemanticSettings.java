package io.sluice.app.config;

/** The semantic strategy's embedder ({@code local}, or an embedding model's name) and candidate count. Immutable. */
public record SemanticSettings(String embedder, int candidates) {
    public static final String LOCAL = "local";

    public SemanticSettings {
        if (embedder == null || embedder.isBlank()) throw new IllegalArgumentException("'embedder' must not be blank");
        if (candidates < 1 || candidates > 1000) throw new IllegalArgumentException("'candidates' must be between 1 and 1000, was " + candidates);
    }

    public static SemanticSettings ofDefaults() {
        return new SemanticSettings(LOCAL, 50);
    }

    public boolean isLocal() {
        return LOCAL.equals(embedder);
    }
}
