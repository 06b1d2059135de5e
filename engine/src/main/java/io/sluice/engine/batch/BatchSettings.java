package io.sluice.engine.batch;

import io.sluice.domain.Require;
import java.time.Duration;

/**
 * How batches are run: how often the runner looks at them ({@code pollInterval}: asks providers how far their batches
 * got, starts batches submitted elsewhere, takes up those of a replica that stopped), how many of a batch's requests the
 * gateway runs at once when it runs them itself ({@code concurrency}), and how long a replica keeps a batch to itself
 * without looking at it ({@code lease}: after that, another takes it over). Immutable.
 */
public record BatchSettings(Duration pollInterval, int concurrency, Duration lease) {
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_CONCURRENCY = 4;

    public BatchSettings {
        Require.positive(pollInterval, "pollInterval");
        Require.positive(concurrency, "concurrency");
        Require.positive(lease, "lease");
        if (lease.compareTo(pollInterval.multipliedBy(2)) < 0) throw new IllegalArgumentException("'lease' must be at least twice 'pollInterval'");
    }

    /** A lease of three polls. */
    public static BatchSettings of(Duration pollInterval, int concurrency) {
        return new BatchSettings(pollInterval, concurrency, pollInterval.multipliedBy(3));
    }

    public static BatchSettings ofDefaults() {
        return of(DEFAULT_POLL_INTERVAL, DEFAULT_CONCURRENCY);
    }
}
