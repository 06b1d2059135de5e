package io.sluice.domain.routing;

import io.sluice.domain.Require;

/** One model of a degradation chain, with its capability tier: the most demanding calls it is fit to start. */
public record ChainLink(String model, Complexity capability) {
    public ChainLink {
        Require.nonBlank(model, "model");
        Require.nonNull(capability, "capability");
    }
}
