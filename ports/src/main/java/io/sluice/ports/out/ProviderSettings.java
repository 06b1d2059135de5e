package io.sluice.ports.out;

import io.sluice.domain.Require;
import java.time.Duration;
import java.util.Map;

/**
 * The configuration of one provider instance. {@code apiKey} may be null for upstreams without auth and must never
 * be logged; {@link #toString()} hides it. {@code options} holds provider-specific settings.
 */
public record ProviderSettings(String name, String type, String baseUrl, String apiKey, Duration timeout,
                               int maxConnections, Map<String, String> options) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_CONNECTIONS = 200;

    public ProviderSettings {
        Require.nonBlank(name, "name");
        Require.nonBlank(type, "type");
        Require.nonBlank(baseUrl, "baseUrl");
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        Require.positive(maxConnections, "maxConnections");
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    @Override
    public String toString() {
        return "ProviderSettings[name=" + name + ", type=" + type + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKey == null ? "none" : "***") + ", timeout=" + timeout + ", maxConnections=" + maxConnections + "]";
    }
}
