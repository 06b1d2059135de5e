package io.sluice.domain.sla;

import io.sluice.domain.Require;
import java.time.Duration;

/**
 * A circuit per (model, endpoint) opens when, within the last {@code window}, at least {@code minimumCalls} attempts
 * were made and at least {@code failureRatePercent}% of them failed; it stays open for {@code openFor}, then lets
 * calls through half-open and closes after {@code successThreshold} successes.
 *
 * <p>A rate, not a count of consecutive failures: at a thousand calls a second, five failures in a row are a few
 * milliseconds of a cold JVM or a full connection pool, and opening on them refused every call for {@code openFor};
 * a rate over a window means the same thing at ten calls a minute and at a thousand a second. Immutable.
 */
public record CircuitSettings(int failureRatePercent, int minimumCalls, Duration window, int successThreshold, Duration openFor) {
    public static final CircuitSettings DEFAULTS = new CircuitSettings(50, 10, Duration.ofSeconds(10), 2, Duration.ofSeconds(30));

    public CircuitSettings {
        if (failureRatePercent < 1 || failureRatePercent > 100) {
            throw new IllegalArgumentException("'failureRatePercent' must be between 1 and 100, was " + failureRatePercent);
        }
        Require.positive(minimumCalls, "minimumCalls");
        Require.positive(window, "window");
        Require.positive(successThreshold, "successThreshold");
        Require.nonNull(openFor, "openFor");
    }
}
