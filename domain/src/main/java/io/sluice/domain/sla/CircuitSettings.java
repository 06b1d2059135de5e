package io.sluice.domain.sla;

import io.sluice.domain.Require;
import java.time.Duration;

/**
 * A circuit per (model, endpoint) opens after {@code failureThreshold} consecutive failures, stays open for
 * {@code openFor}, then lets calls through half-open and closes after {@code successThreshold} successes. Immutable.
 */
public record CircuitSettings(int failureThreshold, int successThreshold, Duration openFor) {
    public static final CircuitSettings DEFAULTS = new CircuitSettings(5, 2, Duration.ofSeconds(30));

    public CircuitSettings {
        Require.positive(failureThreshold, "failureThreshold");
        Require.positive(successThreshold, "successThreshold");
        Require.nonNull(openFor, "openFor");
    }
}
