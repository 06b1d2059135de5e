package io.sluice.app.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;

/** {@code sluice.response-cache}: answers kept and replayed, and identical calls in flight coalesced. Off by default. */
public interface ResponseCacheConfig {
    @WithDefault("false")
    boolean enabled();

    /** {@code owner}: each owner's answers are its own; {@code shared}: one scope for every owner (only for one tenant's gateway). */
    @WithDefault("owner")
    String scope();

    /** How long an answer is kept, unless its route or model says otherwise. */
    @WithDefault("1h")
    Duration ttl();

    /** How long answers are kept, per route name. */
    @WithName("route-ttl")
    Map<String, Duration> routeTtl();

    /** How long answers are kept, per model name. */
    @WithName("model-ttl")
    Map<String, Duration> modelTtl();

    /** {@code local} (this process) or {@code redis} (shared by every replica, with this process's memory in front). */
    @WithDefault("local")
    String store();

    /** What this process's memory may hold, in bytes. */
    @WithName("max-bytes")
    @WithDefault("67108864")
    long maxBytes();

    /** Calls sampled above this temperature are not cached; a call that sets none samples at 1. */
    @WithName("max-temperature")
    @WithDefault("0")
    double maxTemperature();

    /** Whether answers that call tools may be kept (replaying one runs its tool again). */
    @WithName("tool-calls")
    @WithDefault("false")
    boolean toolCalls();

    /** Whether identical calls in flight at the same time go upstream once. */
    @WithDefault("true")
    boolean coalesce();

    Semantic semantic();

    /** The semantic cache: a first question close enough in meaning to an earlier one gets its answer. */
    interface Semantic {
        @WithDefault("false")
        boolean enabled();

        /** The least cosine similarity between two questions for one to get the other's answer. */
        @WithDefault("0.9")
        double threshold();

        /** {@code local} (lexical, in process) or the name of an embedding model served by a provider. */
        @WithDefault("local")
        String embedder();

        /** Questions kept in all, in this process. */
        @WithName("max-entries")
        @WithDefault("100000")
        long maxEntries();
    }
}
