package io.sluice.engine.sla;

import java.util.Locale;

/**
 * An endpoint's state for one model: {@code down} while its circuit is open or every key is disabled; {@code degraded}
 * while its circuit is half-open, a key is disabled or a quarter of its recent attempts failed; else {@code healthy}.
 * Attempts go to healthy endpoints before degraded ones.
 */
public enum EndpointHealth {
    HEALTHY, DEGRADED, DOWN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
