package io.sluice.app.config;

import io.sluice.domain.Require;
import java.time.Duration;
import java.util.Map;

/**
 * How long conversations are kept after their last turn: {@code days} for every owner (0: forever), {@code perOwner}
 * days for the owners named there, purged by a background sweep every {@code sweepInterval}; and {@code ledgerDays}
 * the raw usage ledger's rows are kept (0: forever; its day rollups are kept forever). Immutable.
 */
public record RetentionSettings(int days, Map<String, Integer> perOwner, Duration sweepInterval, int ledgerDays) {
    public static final RetentionSettings FOREVER = new RetentionSettings(0, Map.of(), Duration.ofHours(1), 0);

    public RetentionSettings {
        perOwner = Map.copyOf(perOwner);
        // a month's budget window must lie within the raw rows kept: its first day may be a partial one in the ledger's time
        if (ledgerDays != 0 && ledgerDays < 32) throw new IllegalArgumentException("'ledger-days' must be 0 (forever) or at least 32, was " + ledgerDays);
        if (days < 0) throw new IllegalArgumentException("'days' must be 0 or more, was " + days);
        perOwner.forEach((owner, d) -> {
            if (d < 0) throw new IllegalArgumentException("the days of owner '" + owner + "' must be 0 or more, were " + d);
        });
        Require.positive(sweepInterval, "sweepInterval");
    }
}
