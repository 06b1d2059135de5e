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
        s.tiers().forEach((name, t) -> tiers.put(name, check("sluice.sla.tiers." + name,
                () -> new SlaTier(name, t.connectTimeout(), t.firstChunkTimeout(), t.deadline()))));
        RetrySettings retries = check("sluice.sla.retry", () -> new RetrySettings(s.retry().maxAttempts(), s.retry().baseDelay(),
                s.retry().maxDelay(), s.retry().maxRetryAfter()));
        CircuitSettings circuits = check("sluice.sla.circuit", () -> new CircuitSettings(s.circuit().failureRate(),
                s.circuit().minimumCalls(), s.circuit().window(), s.circuit().successThreshold(), s.circuit().openFor()));
        SlaSettings sla = check("sluice.sla.default-tier", () -> new SlaSettings(tiers, s.defaultTier(), retries, circuits));
        RoutingSettings routing = RoutingConfig.read(c, models);
        return check("sluice.routes", () -> sla.withRouting(routing));
    }
}
