package io.sluice.ports.out;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * The upkeep of the usage ledger, run in the background on every replica (each run is safe alongside another's):
 * moving what bills added into the day rollups that reports and budget windows read, preparing the months ahead, and
 * dropping raw rows past their retention (the rollups are kept).
 */
public interface LedgerMaintenance {
    /** Moves pending rollup rows into the rollups; completes with how many it moved (0 also while another replica does). */
    CompletionStage<Integer> rollUp();

    /** Prepares the months ahead of {@code now} and drops raw rows past the retention; completes with what it did, for the log (empty when nothing). */
    CompletionStage<String> maintain(Instant now);
}
