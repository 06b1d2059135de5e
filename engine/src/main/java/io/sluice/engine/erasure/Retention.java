package io.sluice.engine.erasure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Purges conversations nobody has touched for longer than their owner's retention: {@code perOwner} days for the
 * owners named there, {@code days} for every other (zero: kept forever). Runs in the background, a batch of
 * {@link ErasureService#BATCH} conversations per transaction, so that it never holds locks for long. Safe to run on
 * every replica at once: a conversation two replicas both pick is deleted by one and not found by the other.
 */
public final class Retention {
    private static final System.Logger LOG = System.getLogger(Retention.class.getName());

    private final ErasureService erasure;
    private final int days;
    private final Map<String, Integer> perOwner;
    private final Clock clock;

    public Retention(ErasureService erasure, int days, Map<String, Integer> perOwner, Clock clock) {
        if (days < 0 || perOwner.values().stream().anyMatch(d -> d < 0)) throw new IllegalArgumentException("retention days must be 0 or more");
        this.erasure = erasure;
        this.days = days;
        this.perOwner = Map.copyOf(perOwner);
        this.clock = clock;
    }

    /** Whether anything is ever purged. */
    public boolean active() {
        return days > 0 || perOwner.values().stream().anyMatch(d -> d > 0);
    }

    /** Purges everything past its retention now; returns how many conversations went. */
    public CompletionStage<Long> sweep() {
        Instant now = clock.instant();
        CompletionStage<Long> total = days > 0 ? drain(now.minus(Duration.ofDays(days)), Optional.empty(), 0) : CompletableFuture.completedFuture(0L);
        for (Map.Entry<String, Integer> owner : perOwner.entrySet()) {
            if (owner.getValue() == 0) continue;
            Instant cutoff = now.minus(Duration.ofDays(owner.getValue()));
            total = total.thenCompose(sofar -> drain(cutoff, Optional.of(owner.getKey()), sofar));
        }
        return total;
    }

    private CompletionStage<Long> drain(Instant cutoff, Optional<String> owner, long sofar) {
        return erasure.store().purgeIdleSince(cutoff, owner, perOwner.keySet(), ErasureService.BATCH).thenCompose(ids ->
                erasure.forget(ids).thenCompose(v -> ids.size() < ErasureService.BATCH
                        ? CompletableFuture.completedFuture(sofar + ids.size())
                        : drain(cutoff, owner, sofar + ids.size())));
    }

    /** Sweeps every {@code interval} on a thread of its own; the returned action stops it. */
    public Runnable sweepEvery(Duration interval) {
        return io.sluice.engine.background.Periodic.every("retention-sweep", interval, () -> sweep().thenAccept(purged -> {
            if (purged > 0) LOG.log(System.Logger.Level.INFO, purged + " conversations past their retention were purged");
        }));
    }
}
