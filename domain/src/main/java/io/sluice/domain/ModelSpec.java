package io.sluice.domain;

/**
 * What the gateway knows of a model it serves: which provider serves it and under what upstream name,
 * its context window, its tokenizer encoding and its prices. Immutable.
 */
public record ModelSpec(String name, String provider, String upstreamName, int contextWindow, Encoding encoding, Prices prices) {
    public static final int DEFAULT_CONTEXT_WINDOW = 128_000;

    public ModelSpec {
        Require.nonBlank(name, "name");
        Require.nonBlank(provider, "provider");
        upstreamName = upstreamName == null || upstreamName.isBlank() ? name : upstreamName;
        Require.positive(contextWindow, "contextWindow");
        Require.nonNull(encoding, "encoding");
        Require.nonNull(prices, "prices");
    }
}
