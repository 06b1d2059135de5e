package io.sluice.ports.in;

import java.util.List;
import java.util.Map;

/** What the gateway knows of its upstreams' health, for operators. Thread-safe. */
public interface RouteHealth {
    /**
     * One upstream key's state: {@code ok}, {@code cooling} (after a 429) or {@code disabled} (after a 401/403), with
     * how long until a disabled key is tried again (zero otherwise).
     */
    record KeyState(String endpoint, String key, String state, java.time.Duration retryIn) {}

    /**
     * One endpoint as it serves one model: {@code healthy}, {@code degraded} or {@code down}, with the moving averages
     * of its attempts' latency (null before the first) and failure rate, and its failed attempts since this replica
     * started by how they failed ({@code rate_limited}, {@code unavailable}, {@code timeout}, ...).
     */
    record EndpointState(String model, String endpoint, String state, Double latencyEwmaMillis, double failureRateEwma, Map<String, Long> errors) {}

    /** Every circuit by "model @ endpoint": {@code closed}, {@code open} or {@code half_open}. */
    Map<String, String> circuits();

    List<KeyState> keys();

    List<EndpointState> endpoints();
}
