package io.sluice.engine.sla;

import dev.failsafe.CircuitBreaker;
import io.sluice.domain.sla.CircuitSettings;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Failsafe circuit breaker per (model, endpoint), made on first use, with the endpoint's own settings where it has
 * them, else the gateway's. Thread-safe.
 */
public final class Circuits {
    private static final System.Logger LOG = System.getLogger(Circuits.class.getName());
    private final CircuitSettings defaults;
    private final Map<String, CircuitSettings> byEndpoint;
    private final Map<String, CircuitBreaker<Object>> breakers = new ConcurrentHashMap<>();

    public Circuits(CircuitSettings settings) {
        this(settings, Map.of());
    }

    /** @param byEndpoint the settings of endpoints that have their own, by endpoint name */
    public Circuits(CircuitSettings defaults, Map<String, CircuitSettings> byEndpoint) {
        this.defaults = defaults;
        this.byEndpoint = Map.copyOf(byEndpoint);
    }

    /** The settings of {@code endpoint}'s circuits. */
    public CircuitSettings settingsOf(String endpoint) {
        return byEndpoint.getOrDefault(endpoint, defaults);
    }

    CircuitBreaker<Object> of(String model, String endpoint) {
        CircuitSettings settings = settingsOf(endpoint);
        return breakers.computeIfAbsent(model + " @ " + endpoint, key -> CircuitBreaker.builder()
                .withFailureRateThreshold(settings.failureRatePercent(), settings.minimumCalls(), settings.window())
                .withSuccessThreshold(settings.successThreshold())
                .withDelay(settings.openFor())
                .onOpen(e -> LOG.log(System.Logger.Level.WARNING, "circuit " + key + " opened"))
                .onClose(e -> LOG.log(System.Logger.Level.INFO, "circuit " + key + " closed"))
                .build());
    }

    /** Every circuit's state by "model @ endpoint", for the admin API and metrics. */
    public Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        breakers.forEach((key, breaker) -> states.put(key, breaker.getState().name().toLowerCase(java.util.Locale.ROOT)));
        return states;
    }
}
