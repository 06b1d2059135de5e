package io.sluice.app.config;

import static io.sluice.app.config.ConfigProblem.check;

import io.sluice.domain.sla.CircuitSettings;
import io.sluice.domain.sla.RetrySettings;
import io.sluice.domain.sla.SlaTier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code sluice.sla} and {@code sluice.routes}: tiers, retries, circuits, and routes over the configured models. */
final class SlaReader {
    private SlaReader() {}

    static SlaSettings read(SluiceConfig c, List<String> models) {
        SlaConfig s = c.sla();
        Map<String, SlaTier> tiers = new HashMap<>(SlaTier.DEFAULTS);
        s.tiers().forEach((name, t) -> tiers.put(name, check("sluice.sla.tiers." + name, () -> tier(name, t, SlaTier.DEFAULTS.get(name)))));
        RetrySettings retries = check("sluice.sla.retry", () -> new RetrySettings(s.retry().maxAttempts(), s.retry().baseDelay(),
                s.retry().maxDelay(), s.retry().maxRetryAfter()));
        CircuitSettings circuits = check("sluice.sla.circuit", () -> new CircuitSettings(s.circuit().failureRate(),
                s.circuit().minimumCalls(), s.circuit().window(), s.circuit().successThreshold(), s.circuit().openFor()));
        Map<String, CircuitSettings> endpointCircuits = new HashMap<>();
        c.providers().forEach((name, p) -> p.circuit().ifPresent(own -> endpointCircuits.put(name, check("sluice.providers." + name + ".circuit",
                () -> new CircuitSettings(own.failureRate().orElse(circuits.failureRatePercent()), own.minimumCalls().orElse(circuits.minimumCalls()),
                        own.window().orElse(circuits.window()), own.successThreshold().orElse(circuits.successThreshold()),
                        own.openFor().orElse(circuits.openFor()))))));
        SlaSettings sla = check("sluice.sla.default-tier", () -> new SlaSettings(tiers, s.defaultTier(), retries, circuits)
                .withEndpointCircuits(endpointCircuits));
        RoutingSettings routing = RoutingConfig.read(c, models);
        return check("sluice.routes", () -> sla.withRouting(routing));
    }

    /** A configured tier, over the built-in one of its name when there is one. */
    private static SlaTier tier(String name, SlaConfig.Tier t, SlaTier builtIn) {
        return new SlaTier(name, t.connectTimeout().orElseGet(() -> inherited(name, builtIn, "connect-timeout").connectTimeout()),
                t.firstChunkTimeout().orElseGet(() -> inherited(name, builtIn, "first-chunk-timeout").firstChunkTimeout()),
                t.deadline().orElseGet(() -> inherited(name, builtIn, "deadline").deadline()), t.fallbackAfter());
    }

    private static SlaTier inherited(String name, SlaTier builtIn, String missing) {
        if (builtIn == null) throw new IllegalArgumentException("tier '" + name + "' needs '" + missing + "': only fast, normal and deep have defaults");
        return builtIn;
    }
}
