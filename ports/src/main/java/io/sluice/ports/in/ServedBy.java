package io.sluice.ports.in;

import io.sluice.domain.Require;

/**
 * Which model answered a call ({@code X-Sluice-Model}), on which endpoint, and how many models of its degradation
 * chain it fell past to get there ({@code X-Sluice-Fallbacks}).
 */
public record ServedBy(String model, String endpoint, int fallbacks) {
    public ServedBy {
        Require.nonBlank(model, "model");
        Require.nonBlank(endpoint, "endpoint");
        if (fallbacks < 0) throw new IllegalArgumentException("fallbacks must be 0 or more");
    }
}
