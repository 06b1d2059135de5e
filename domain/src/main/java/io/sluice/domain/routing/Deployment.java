package io.sluice.domain.routing;

import io.sluice.domain.Require;
import java.util.List;

/**
 * One of the ways a route can be served, with its share of the route's traffic: a degradation chain of models,
 * ordered from the most to the least capable. A call starts at the least capable model fit for it (see
 * {@link #startFor}) and falls to the next one on a failure or an open circuit. Immutable.
 */
public record Deployment(String name, int weight, List<ChainLink> chain) {
    public Deployment {
        Require.nonBlank(name, "name");
        if (weight < 0) throw new IllegalArgumentException("deployment '" + name + "' needs a weight of 0 or more, was " + weight);
        chain = List.copyOf(Require.nonEmpty(chain, "chain"));
        for (int i = 1; i < chain.size(); i++) {
            if (chain.get(i).capability().compareTo(chain.get(i - 1).capability()) > 0) {
                throw new IllegalArgumentException("the chain of deployment '" + name + "' must go from the most to the least capable model, but '"
                        + chain.get(i).model() + "' (" + chain.get(i).capability().label() + ") comes after '" + chain.get(i - 1).model()
                        + "' (" + chain.get(i - 1).capability().label() + ")");
            }
        }
    }

    public Deployment withWeight(int newWeight) {
        return new Deployment(name, newWeight, chain);
    }

    /** Where a call of this complexity starts: the least capable model fit for it, else the most capable one. */
    public int startFor(Complexity complexity) {
        int start = 0;
        for (int i = 0; i < chain.size(); i++) if (chain.get(i).capability().compareTo(complexity) >= 0) start = i;
        return start;
    }
}
