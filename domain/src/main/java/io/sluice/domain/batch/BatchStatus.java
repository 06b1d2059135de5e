package io.sluice.domain.batch;

import java.util.Locale;

/** Where a batch is in its life, as OpenAI's Batch API names it ({@link #wire()}: {@code in_progress}, ...). */
public enum BatchStatus {
    VALIDATING, IN_PROGRESS, FINALIZING, COMPLETED, FAILED, EXPIRED, CANCELLING, CANCELLED;

    /** The name in OpenAI's batch object. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the batch has ended: nothing more runs, its files are written and its reservation settled. */
    public boolean ended() {
        return this == COMPLETED || this == FAILED || this == EXPIRED || this == CANCELLED;
    }
}
