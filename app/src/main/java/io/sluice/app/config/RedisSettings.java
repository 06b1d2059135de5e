package io.sluice.app.config;

import io.sluice.domain.Require;
import io.sluice.redis.RedisLink;
import java.time.Duration;

/**
 * How the gateway lives with Redis misbehaving: each command's timeout ({@code sluice.redis.command-timeout}); how
 * many replicas share the rate limits ({@code sluice.limits.replicas}), so that while Redis is unreachable each
 * counts its share of every limit in its own memory; and whether budgets then refuse calls (closed, the default) or
 * let them through unchecked ({@code sluice.budgets.on-redis-outage: fail-open}). Immutable.
 */
public record RedisSettings(Duration commandTimeout, int replicas, boolean budgetsFailOpen) {
    public static final RedisSettings DEFAULTS = new RedisSettings(RedisLink.DEFAULT_COMMAND_TIMEOUT, 1, false);

    public RedisSettings {
        Require.positive(commandTimeout, "commandTimeout");
        if (replicas < 1) throw new IllegalArgumentException("'replicas' must be 1 or more, was " + replicas);
    }
}
