package io.sluice.engine.sla;

import dev.failsafe.CircuitBreaker;
import io.sluice.ports.in.RouteHealth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link RouteHealth} from the circuits and the endpoints' keys and averages. Thread-safe. */
public final class UpstreamHealth implements RouteHealth {
    private final Circuits circuits;
    private final List<Endpoint> endpoints;
    private final Map<String, List<Endpoint>> endpointsByModel;

    /** @param endpointsByModel the endpoints that serve each configured model */
    public UpstreamHealth(Circuits circuits, Collection<Endpoint> endpoints, Map<String, List<Endpoint>> endpointsByModel) {
        this.circuits = circuits;
        this.endpoints = List.copyOf(endpoints);
        this.endpointsByModel = new LinkedHashMap<>(endpointsByModel);
    }

    @Override
    public Map<String, String> circuits() {
        return circuits.states();
    }

    @Override
    public List<KeyState> keys() {
        long now = System.nanoTime();
        List<KeyState> states = new ArrayList<>();
        for (Endpoint e : endpoints) {
            for (UpstreamKey k : e.keys()) {
                boolean disabled = k.disabled(now);
                states.add(new KeyState(e.name(), k.label(), disabled ? "disabled" : k.cooling(now) ? "cooling" : "ok", k.disabledFor(now)));
            }
        }
        return states;
    }

    @Override
    public List<EndpointState> endpoints() {
        List<EndpointState> states = new ArrayList<>();
        endpointsByModel.forEach((model, endpoints) -> {
            for (Endpoint e : endpoints) {
                CircuitBreaker<Object> circuit = circuits.of(model, e.name());
                double latency = e.latencyEwmaMillis();
                states.add(new EndpointState(model, e.name(), e.health(circuit.isOpen(), circuit.isHalfOpen()).label(),
                        Double.isNaN(latency) ? null : latency, e.failureRateEwma(), e.errorsByType()));
            }
        });
        return states;
    }
}
