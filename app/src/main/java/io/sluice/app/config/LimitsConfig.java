package io.sluice.app.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Map;

/** {@code sluice.limits}: rate limits and adaptive concurrency. */
public interface LimitsConfig {
    /** {@code local} (each replica counts for itself) or {@code redis} (every replica shares the counts). */
    @WithDefault("local")
    String store();

    /** How many replicas share the limits: while Redis is unreachable, each counts 1/replicas of every limit itself. */
    @WithDefault("1")
    int replicas();

    /** Per gateway key (its owner). */
    Rate key();

    /** Per end user (the request's {@code user}) of an owner. */
    Rate user();

    /** Per model or route name, as the client sends it. */
    Map<String, Rate> models();

    Concurrency concurrency();

    /** Each upstream endpoint's adaptive concurrency limit. */
    interface Concurrency {
        /** Off by default: each endpoint then takes as many calls as its connection pool allows. */
        @WithDefault("false")
        boolean adaptive();

        @WithName("initial-limit")
        @WithDefault("20")
        int initialLimit();

        @WithName("max-limit")
        @WithDefault("1000")
        int maxLimit();

        /** Calls that may wait for a permit per endpoint; one more gets a 503 at once. */
        @WithName("max-queue")
        @WithDefault("100")
        int maxQueue();
    }

    interface Rate {
        @WithDefault("0")
        long rpm();

        @WithDefault("0")
        long tpm();
    }
}
