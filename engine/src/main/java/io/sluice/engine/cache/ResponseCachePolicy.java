package io.sluice.engine.cache;

import io.sluice.engine.semantic.LexicalEmbedder;
import io.sluice.ports.out.Embedder;
import io.sluice.ports.out.ResponseCache;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How the response cache behaves: whether it is on, its scope (each owner apart, or shared by all), how long answers
 * are kept (per route and per model, else a default), which calls are deterministic enough to keep (a temperature at
 * most {@link #maxTemperature()}, an absent one counting as the providers' default of 1), whether answers that call
 * tools may be kept, whether identical calls in flight together go upstream once, and the semantic cache's threshold
 * (off when empty) and embedder. Build one with {@link #builder()}. Immutable.
 */
public final class ResponseCachePolicy {
    /** A policy that caches nothing and coalesces nothing. */
    public static final ResponseCachePolicy OFF = builder().build();
    /** The temperature providers sample at when a call sets none. */
    public static final double DEFAULT_TEMPERATURE = 1.0;

    private final boolean enabled;
    private final boolean shared;
    private final Duration ttl;
    private final Map<String, Duration> routeTtls;
    private final Map<String, Duration> modelTtls;
    private final double maxTemperature;
    private final boolean toolCalls;
    private final boolean coalesce;
    private final OptionalDouble semanticThreshold;
    private final Embedder embedder;
    private final ResponseCache store;
    private final SemanticAnswers semantic;

    private ResponseCachePolicy(Builder b) {
        enabled = b.enabled;
        shared = b.shared;
        ttl = b.ttl;
        routeTtls = Map.copyOf(b.routeTtls);
        modelTtls = Map.copyOf(b.modelTtls);
        maxTemperature = b.maxTemperature;
        toolCalls = b.toolCalls;
        coalesce = b.coalesce;
        semanticThreshold = b.semanticThreshold;
        embedder = b.embedder;
        store = b.store != null ? b.store : new LocalResponseCache(LocalResponseCache.DEFAULT_MAX_BYTES, b.clock);
        semantic = new SemanticAnswers(b.semanticMaxEntries, 1_000, b.clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean enabled() {
        return enabled;
    }

    /** The scope a caller's calls are cached in: its owner's, or everyone's when the scope is shared. */
    public String scope(String owner) {
        return shared ? "shared" : "owner:" + owner;
    }

    /** How long an answer of {@code model}, on {@code route} (null for none), is kept. */
    public Duration ttl(String route, String model) {
        Duration byRoute = route == null ? null : routeTtls.get(route);
        if (byRoute != null) return byRoute;
        return modelTtls.getOrDefault(model, ttl);
    }

    public double maxTemperature() {
        return maxTemperature;
    }

    /** Whether answers that call tools may be kept: replaying one runs the tool again. */
    public boolean toolCalls() {
        return toolCalls;
    }

    public boolean coalesce() {
        return enabled && coalesce;
    }

    public OptionalDouble semanticThreshold() {
        return enabled ? semanticThreshold : OptionalDouble.empty();
    }

    public Embedder embedder() {
        return embedder;
    }

    public ResponseCache store() {
        return store;
    }

    public SemanticAnswers semantic() {
        return semantic;
    }

    /** Builds a {@link ResponseCachePolicy}; by default off, owner scope, one hour, temperature 0 only, no tool calls, coalescing, no semantic cache. */
    public static final class Builder {
        private boolean enabled;
        private boolean shared;
        private Duration ttl = Duration.ofHours(1);
        private Map<String, Duration> routeTtls = Map.of();
        private Map<String, Duration> modelTtls = Map.of();
        private double maxTemperature;
        private boolean toolCalls;
        private boolean coalesce = true;
        private OptionalDouble semanticThreshold = OptionalDouble.empty();
        private Embedder embedder = new LexicalEmbedder(io.sluice.domain.context.LexicalVectors.DEFAULT_DIMENSIONS);
        private ResponseCache store;
        private long semanticMaxEntries = 100_000;
        private Clock clock = Clock.systemUTC();

        public Builder enabled(boolean value) {
            enabled = value;
            return this;
        }

        /** Whether every owner's calls share one scope (off: each owner's answers are its own). */
        public Builder shared(boolean value) {
            shared = value;
            return this;
        }

        public Builder ttl(Duration value) {
            ttl = positive(value, "ttl");
            return this;
        }

        public Builder routeTtls(Map<String, Duration> value) {
            value.values().forEach(d -> positive(d, "a route's ttl"));
            routeTtls = Map.copyOf(value);
            return this;
        }

        public Builder modelTtls(Map<String, Duration> value) {
            value.values().forEach(d -> positive(d, "a model's ttl"));
            modelTtls = Map.copyOf(value);
            return this;
        }

        public Builder maxTemperature(double value) {
            if (!(value >= 0 && value <= 2)) throw new IllegalArgumentException("'max-temperature' must be between 0 and 2");
            maxTemperature = value;
            return this;
        }

        public Builder toolCalls(boolean value) {
            toolCalls = value;
            return this;
        }

        public Builder coalesce(boolean value) {
            coalesce = value;
            return this;
        }

        /** Turns the semantic cache on: a question at least this similar (cosine, 0 to 1) to an earlier one gets its answer. */
        public Builder semanticThreshold(double value) {
            if (!(value > 0 && value <= 1)) throw new IllegalArgumentException("'semantic.threshold' must be above 0 and at most 1");
            semanticThreshold = OptionalDouble.of(value);
            return this;
        }

        public Builder embedder(Embedder value) {
            embedder = Objects.requireNonNull(value, "embedder");
            return this;
        }

        /** Where exact answers are kept; by default {@link LocalResponseCache} of {@link LocalResponseCache#DEFAULT_MAX_BYTES}. */
        public Builder store(ResponseCache value) {
            store = Objects.requireNonNull(value, "store");
            return this;
        }

        public Builder semanticMaxEntries(long value) {
            if (value < 1) throw new IllegalArgumentException("'semantic.max-entries' must be at least 1");
            semanticMaxEntries = value;
            return this;
        }

        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public ResponseCachePolicy build() {
            return new ResponseCachePolicy(this);
        }

        private static Duration positive(Duration value, String name) {
            if (value == null || value.isNegative() || value.isZero()) throw new IllegalArgumentException("'" + name + "' must be positive");
            return value;
        }
    }
}
