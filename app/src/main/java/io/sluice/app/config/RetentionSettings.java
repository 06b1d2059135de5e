package io.sluice.app.config;

import io.sluice.domain.Require;
import java.time.Duration;
import java.util.Map;

/**
 * How long conversations are kept after their last turn: {@code days} for every owner (0: forever), {@code perOwner}
 * days for the owners named there, purged by a background sweep every {@code sweepInterval}. Immutable.
 */
public record RetentionSettings(int days, Map<String, Integer> perOwner, Duration sweepInterval) {
    public static final RetentionSettings FOREVER = new RetentionSettings(0, Map.of(), Duration.ofHours(1));

    public RetentionSettings {
        perOwner = Map.copyOf(perOwner);
        if (days < 0) throw new IllegalArgumentException("'days' must be 0 or more, was " + days);
        perOwner.forEach((owner, d) -> {
            if (d < 0) throw new IllegalArgumentException("the days of owner '" + owner + "' must be 0 or more, were " + d);
        });
        Require.positive(sweepInterval, "sweepInterval");
    }
}
