package io.sluice.ports.out;

import io.sluice.domain.Require;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration of one provider instance. {@code apiKey} may be null for upstreams without auth and must never
 * be logged; {@link #toString()} hides it. {@code options} holds provider-specific settings. {@code maxConnections}
 * bounds the connections to the upstream whatever the {@code httpVersion}; over HTTP/2 each carries many calls.
 */
public record ProviderSettings(String name, String type, String baseUrl, String apiKey, Duration timeout,
                               int maxConnections, Map<String, String> options, HttpVersion httpVersion) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_CONNECTIONS = 200;

    public ProviderSettings {
        Require.nonBlank(name, "name");
        Require.nonBlank(type, "type");
        Require.nonBlank(baseUrl, "baseUrl");
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        Require.positive(maxConnections, "maxConnections");
        options = options == null ? Map.of() : Map.copyOf(options);
        httpVersion = httpVersion == null ? HttpVersion.HTTP_1_1 : httpVersion;
    }

    /** Over HTTP/1.1. */
    public ProviderSettings(String name, String type, String baseUrl, String apiKey, Duration timeout, int maxConnections,
                            Map<String, String> options) {
        this(name, type, baseUrl, apiKey, timeout, maxConnections, options, HttpVersion.HTTP_1_1);
    }

    /** The same upstream under another name, with another key. */
    public ProviderSettings withKey(String label, String key) {
        return new ProviderSettings(label, type, baseUrl, key, timeout, maxConnections, options, httpVersion);
    }

    /**
     * The HTTP version spoken to the upstream. HTTP/2 carries many calls on one connection, so that thousands of open
     * streams need tens of connections instead of thousands: negotiated by ALPN over TLS (an upstream that does
     * not offer it is spoken to in HTTP/1.1), with prior knowledge in clear text.
     */
    public enum HttpVersion {
        HTTP_1_1("1.1"), HTTP_2("2");

        private final String configName;

        HttpVersion(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        /** {@code 1.1} or {@code 2}. */
        public static Optional<HttpVersion> parse(String name) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            for (HttpVersion v : values()) if (v.configName.equals(n) || n.equals("http/" + v.configName)) return Optional.of(v);
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "ProviderSettings[name=" + name + ", type=" + type + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKey == null ? "none" : "***") + ", timeout=" + timeout + ", maxConnections=" + maxConnections
                + ", httpVersion=" + httpVersion.configName() + "]";
    }
}
