package io.sluice.engine.routing;

import io.sluice.domain.Require;
import java.time.Duration;
import java.util.List;

/**
 * How a route's canary deployment is watched and ramped: it is rolled back (weight 0) when, over at least
 * {@code minCalls} recent calls, its error rate passes the stable deployment's by more than {@code maxErrorRateIncrease}
 * or its p95 latency passes the stable one's times {@code maxP95Ratio}; and it is ramped through {@code ramp}
 * (percentages of the route's traffic, rising) one step each {@code rampEvery}, the stable deployment taking the rest.
 * An empty ramp leaves the weights to the operator. Immutable.
 */
public record CanaryPolicy(String route, String canary, String stable, double maxErrorRateIncrease, double maxP95Ratio, int minCalls,
                           List<Integer> ramp, Duration rampEvery) {
    public static final double DEFAULT_MAX_ERROR_RATE_INCREASE = 0.05;
    public static final double DEFAULT_MAX_P95_RATIO = 1.5;
    public static final int DEFAULT_MIN_CALLS = 20;

    public CanaryPolicy {
        Require.nonBlank(route, "route");
        Require.nonBlank(canary, "canary");
        Require.nonBlank(stable, "stable");
        if (canary.equals(stable)) throw new IllegalArgumentException("the canary and the stable deployment must differ, both were '" + canary + "'");
        if (maxErrorRateIncrease < 0 || maxErrorRateIncrease > 1) throw new IllegalArgumentException("'max-error-rate-increase' must be from 0 to 1");
        if (maxP95Ratio < 1) throw new IllegalArgumentException("'max-p95-ratio' must be 1 or more");
        if (minCalls < 1) throw new IllegalArgumentException("'min-calls' must be at least 1");
        ramp = List.copyOf(ramp);
        for (int i = 0; i < ramp.size(); i++) {
            if (ramp.get(i) < 1 || ramp.get(i) > 100 || i > 0 && ramp.get(i) <= ramp.get(i - 1)) {
                throw new IllegalArgumentException("'ramp' must be rising percentages from 1 to 100, was " + ramp);
            }
        }
        if (!ramp.isEmpty()) Require.positive(rampEvery, "rampEvery");
    }
}
