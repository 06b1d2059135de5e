package io.sluice.ports.out;

import io.sluice.domain.limits.LimitCheck;
import io.sluice.domain.limits.LimitDecision;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The rate-limit counters: in process for one replica, or shared (Redis) so that every replica counts against the
 * same limits. Thread-safe; completes asynchronously.
 */
public interface LimitCounters {
    /** If every check fits, counts them all (atomically) and allows; else counts none and says which did not fit. */
    CompletionStage<LimitDecision> acquire(List<LimitCheck> checks);

    /** Moves a counted cost by {@code delta} (an estimate replaced by the actual usage); never refuses. */
    CompletionStage<Void> adjust(LimitCheck check, long delta);
}
