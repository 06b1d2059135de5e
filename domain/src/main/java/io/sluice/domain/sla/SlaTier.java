package io.sluice.domain.sla;

import io.sluice.domain.Require;
import io.sluice.domain.error.InvalidRequestException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How long a call may take: to connect, to its first streamed chunk, and in all (the deadline every retry and
 * fallback must respect); and, when {@code fallbackAfter} is set, how long its model may go without answering (or,
 * streamed, without its first chunk) before the next model of its chain is started alongside it, the first to answer
 * winning. Immutable.
 */
public record SlaTier(String name, Duration connectTimeout, Duration firstChunkTimeout, Duration deadline, Optional<Duration> fallbackAfter) {
    public static final SlaTier FAST = new SlaTier("fast", Duration.ofMillis(300), Duration.ofMillis(800), Duration.ofSeconds(1));
    public static final SlaTier NORMAL = new SlaTier("normal", Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3));
    public static final SlaTier DEEP = new SlaTier("deep", Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(8));
    public static final Map<String, SlaTier> DEFAULTS = Map.of("fast", FAST, "normal", NORMAL, "deep", DEEP);

    public SlaTier {
        Require.nonBlank(name, "name");
        Require.positive(connectTimeout, "connectTimeout");
        Require.positive(firstChunkTimeout, "firstChunkTimeout");
        Require.positive(deadline, "deadline");
        fallbackAfter = fallbackAfter == null ? Optional.empty() : fallbackAfter;
        fallbackAfter.ifPresent(after -> {
            Require.positive(after, "fallbackAfter");
            if (after.compareTo(deadline) >= 0) {
                throw new IllegalArgumentException("fallback-after (" + after.toMillis() + " ms) must be shorter than the deadline ("
                        + deadline.toMillis() + " ms): a fallback started at the deadline could never answer");
            }
        });
    }

    /** A tier that never starts a second model alongside a slow one. */
    public SlaTier(String name, Duration connectTimeout, Duration firstChunkTimeout, Duration deadline) {
        this(name, connectTimeout, firstChunkTimeout, deadline, Optional.empty());
    }

    /** The tier a request names, e.g. in {@code X-SLA-Tier}, among the configured ones. */
    public static SlaTier named(String name, Map<String, SlaTier> tiers) {
        SlaTier tier = tiers.get(name.strip().toLowerCase(Locale.ROOT));
        if (tier == null) {
            throw new InvalidRequestException("Unknown SLA tier '" + (name.length() > 40 ? name.substring(0, 40) : name) + "'; use one of "
                    + new java.util.TreeSet<>(tiers.keySet()), "X-SLA-Tier", "invalid_sla_tier");
        }
        return tier;
    }
}
