package io.sluice.ports.in;

import io.sluice.domain.Require;

/**
 * Which model answered a call ({@code X-Sluice-Model}), on which endpoint, and how many models of its degradation
 * chain it fell past to get there ({@code X-Sluice-Fallbacks}); a route's fallback reply is served by
 * {@link #FALLBACK_REPLY}.
 */
public record ServedBy(String model, String endpoint, int fallbacks) {
    /** The endpoint of an answer that is its route's fallback reply, not a model's ({@code X-Sluice-Fallback: reply}). */
    public static final String FALLBACK_REPLY = "fallback-reply";

    public ServedBy {
        Require.nonBlank(model, "model");
        Require.nonBlank(endpoint, "endpoint");
        if (fallbacks < 0) throw new IllegalArgumentException("fallbacks must be 0 or more");
    }
}
