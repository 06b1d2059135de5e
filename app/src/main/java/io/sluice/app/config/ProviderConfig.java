package io.sluice.app.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@code sluice.providers.NAME}: one upstream provider instance and its keys. */
public interface ProviderConfig {
    /** The plugin id: {@code openai}, or the id of a provider plugin on the classpath. */
    @WithDefault("openai")
    String type();

    @WithName("base-url")
    String baseUrl();

    @WithName("api-key")
    Optional<String> apiKey();

    /** How long the upstream may stay silent before the call fails. */
    @WithDefault("60s")
    Duration timeout();

    @WithName("max-connections")
    @WithDefault("200")
    int maxConnections();

    /** {@code 1.1} or {@code 2}: HTTP/2 multiplexes calls over few connections (ALPN over TLS, prior knowledge in clear text). */
    @WithName("http-version")
    @WithDefault("1.1")
    String httpVersion();

    /** This endpoint's share of a model's traffic, among the endpoints that serve it. */
    @WithDefault("1")
    int weight();

    /** Several keys, each with its own budget; used in turn, cooled down on 429, disabled on 401/403. */
    Optional<java.util.List<Key>> keys();

    Map<String, String> options();

    /** This endpoint's circuit settings, each left out taken from {@code sluice.sla.circuit}. */
    Optional<Circuit> circuit();

    interface Circuit {
        @WithName("failure-rate")
        Optional<Integer> failureRate();

        @WithName("minimum-calls")
        Optional<Integer> minimumCalls();

        Optional<Duration> window();

        @WithName("success-threshold")
        Optional<Integer> successThreshold();

        @WithName("open-for")
        Optional<Duration> openFor();
    }

    interface Key {
        String key();

        /** Requests per minute this key may send; 0 for no limit. */
        @WithDefault("0")
        int rpm();

        /** Tokens (prompt and completion) per minute this key may use; 0 for no limit. */
        @WithDefault("0")
        long tpm();
    }
}
