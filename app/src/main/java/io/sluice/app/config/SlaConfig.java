package io.sluice.app.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Map;

/** {@code sluice.sla}: timeout tiers, retries and circuit breakers. */
public interface SlaConfig {
    /** The tier of calls that send no {@code X-SLA-Tier}. */
    @WithName("default-tier")
    @WithDefault("deep")
    String defaultTier();

    /** Tiers by name; these replace or add to fast (1 s), normal (3 s) and deep (8 s). */
    Map<String, Tier> tiers();

    Retry retry();

    Circuit circuit();

    /** A tier; a value left out of fast, normal or deep keeps the built-in one, and a new tier needs all three timeouts. */
    interface Tier {
        @WithName("connect-timeout")
        java.util.Optional<java.time.Duration> connectTimeout();

        @WithName("first-chunk-timeout")
        java.util.Optional<java.time.Duration> firstChunkTimeout();

        java.util.Optional<java.time.Duration> deadline();

        /** Starts the next model of the route's chain alongside a model that has not answered (or sent a first chunk) by then. */
        @WithName("fallback-after")
        java.util.Optional<java.time.Duration> fallbackAfter();
    }

    interface Retry {
        @WithName("max-attempts")
        @WithDefault("6")
        int maxAttempts();

        @WithName("base-delay")
        @WithDefault("100ms")
        java.time.Duration baseDelay();

        @WithName("max-delay")
        @WithDefault("2s")
        java.time.Duration maxDelay();

        /** A Retry-After longer than this is shortened to it. */
        @WithName("max-retry-after")
        @WithDefault("10s")
        java.time.Duration maxRetryAfter();
    }

    interface Circuit {
        /** The percentage of a window's attempts that, once it holds {@code minimum-calls}, opens the circuit. */
        @WithName("failure-rate")
        @WithDefault("50")
        int failureRate();

        @WithName("minimum-calls")
        @WithDefault("10")
        int minimumCalls();

        @WithName("window")
        @WithDefault("10s")
        java.time.Duration window();

        @WithName("success-threshold")
        @WithDefault("2")
        int successThreshold();

        @WithName("open-for")
        @WithDefault("30s")
        java.time.Duration openFor();
    }
}
