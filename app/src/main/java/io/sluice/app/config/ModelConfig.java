package io.sluice.app.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.math.BigDecimal;
import java.util.Optional;

/** {@code sluice.models.NAME}: one model the gateway serves. */
public interface ModelConfig {
    String provider();

    /** Further providers that also serve this model, for failover. */
    Optional<java.util.List<String>> endpoints();

    /** The model's name at the upstream, when it differs from the name clients use. */
    @WithName("upstream-name")
    Optional<String> upstreamName();

    /** Tokens; the model catalog's when not set, else 128,000. */
    @WithName("context-window")
    Optional<Integer> contextWindow();

    /** {@code o200k_base} or {@code cl100k_base}; by default the model's OpenAI encoding, else the fallback. */
    Optional<String> encoding();

    /**
     * Dollars per million input tokens. With no price configured at all, the model catalog's prices apply; a price
     * configured here replaces the catalog's for this model (the others then default to 0, or to the input price).
     */
    @WithName("input-price")
    Optional<BigDecimal> inputPrice();

    @WithName("output-price")
    Optional<BigDecimal> outputPrice();

    /** This model's default context strategy for stored conversations; the gateway's default when not set. */
    @WithName("context-strategy")
    Optional<String> contextStrategy();

    /** A larger-context model that takes calls whose context does not fit this model's window. */
    @WithName("context-fallback")
    Optional<String> contextFallback();

    /** Dollars per million cached input tokens (prompt-cache reads); the input price when not set. */
    @WithName("cached-input-price")
    Optional<BigDecimal> cachedInputPrice();

    /** Dollars per million tokens written to the prompt cache (Anthropic's cache writes); the input price when not set. */
    @WithName("cache-write-price")
    Optional<BigDecimal> cacheWritePrice();
}
