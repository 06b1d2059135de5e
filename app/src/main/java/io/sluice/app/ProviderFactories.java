package io.sluice.app;

import io.sluice.app.config.ConfigProblem;
import io.sluice.ports.out.LlmProviderFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The provider plugins by type id: those registered explicitly (through Guice) and those found with
 * {@link ServiceLoader}. The same class found both ways counts once; two different classes claiming one id fail at
 * start, naming both and the config key that chooses a type.
 */
public final class ProviderFactories {
    private final Map<String, LlmProviderFactory> byId;

    public ProviderFactories(Collection<LlmProviderFactory> registered) {
        List<LlmProviderFactory> all = new ArrayList<>(registered);
        ServiceLoader.load(LlmProviderFactory.class).forEach(all::add);
        Map<String, Map<String, LlmProviderFactory>> candidates = new TreeMap<>();
        for (LlmProviderFactory f : all) {
            candidates.computeIfAbsent(f.id(), id -> new LinkedHashMap<>()).putIfAbsent(f.getClass().getName(), f);
        }
        Map<String, LlmProviderFactory> chosen = new TreeMap<>();
        candidates.forEach((id, classes) -> {
            if (classes.size() > 1) {
                throw new ConfigProblem("sluice.providers.<name>.type", "provider type '" + id + "' is ambiguous: "
                        + String.join(", ", classes.keySet()) + " all claim it; remove one jar from the classpath");
            }
            chosen.put(id, classes.values().iterator().next());
        });
        this.byId = Map.copyOf(chosen);
    }

    public LlmProviderFactory get(String type, String providerName) {
        LlmProviderFactory f = byId.get(type);
        if (f == null) {
            throw new ConfigProblem("sluice.providers." + providerName + ".type", "unknown provider type '" + type
                    + "'; available: " + new TreeMap<>(byId).keySet());
        }
        return f;
    }
}
