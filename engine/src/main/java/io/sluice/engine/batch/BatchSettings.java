package io.sluice.engine.batch;

import io.sluice.domain.Require;
import java.time.Duration;

/**
 * How batches are run: how often the runner looks at them ({@code pollInterval}: asks providers how far their batches
 * got, starts batches submitted elsewhere, takes up those of a replica that stopped), how many of a batch's requests the
 * gateway runs at once when it runs them itself ({@code concurrency}), and how long a replica keeps a batch to itself
 * without looking at it ({@code lease}: after that, another takes it over), and how long a batch may run before it
 * expires ({@code window}: 24 hours, the window clients name; what has not run by then is not run). Immutable.
 */
public record BatchSettings(Duration pollInterval, int concurrency, Duration lease, Duration window) {
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    public static final int DEFAULT_CONCURRENCY = 4;

    public BatchSettings {
        Require.positive(pollInterval, "pollInterval");
        Require.positive(concurrency, "concurrency");
        Require.positive(lease, "lease");
        Require.positive(window, "window");
        if (lease.compareTo(pollInterval.multipliedBy(2)) < 0) throw new IllegalArgumentException("'lease' must be at least twice 'pollInterval'");
    }

    /** A lease of three polls. */
    public static BatchSettings of(Duration pollInterval, int concurrency) {
        return of(pollInterval, concurrency, DEFAULT_WINDOW);
    }

    public static BatchSettings of(Duration pollInterval, int concurrency, Duration window) {
        return new BatchSettings(pollInterval, concurrency, pollInterval.multipliedBy(3), window);
    }

    public static BatchSettings ofDefaults() {
        return of(DEFAULT_POLL_INTERVAL, DEFAULT_CONCURRENCY);
    }
}
