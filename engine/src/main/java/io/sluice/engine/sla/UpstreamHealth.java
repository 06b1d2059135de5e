package io.sluice.engine.sla;

import io.sluice.ports.in.RouteHealth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** {@link RouteHealth} from the circuits and the endpoints' keys. Thread-safe. */
public final class UpstreamHealth implements RouteHealth {
    private final Circuits circuits;
    private final Collection<Endpoint> endpoints;

    public UpstreamHealth(Circuits circuits, Collection<Endpoint> endpoints) {
        this.circuits = circuits;
        this.endpoints = List.copyOf(endpoints);
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
                states.add(new KeyState(e.name(), k.label(), k.disabled() ? "disabled" : k.cooling(now) ? "cooling" : "ok"));
            }
        }
        return states;
    }
}
