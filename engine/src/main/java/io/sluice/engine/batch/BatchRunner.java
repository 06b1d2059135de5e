package io.sluice.engine.batch;

import io.sluice.domain.batch.Batch;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Moves every unfinished batch on, every poll interval and whenever one is submitted or cancelled: it takes the
 * batches no other replica holds (a lease, renewed on each look, so that a batch of a replica that stopped is taken up
 * by another once the lease lapses), and steps each (submitted upstream, asked after, ended), or runs it on the
 * gateway. A batch is worked on by one step at a time. Stopped by {@link #close()}. Thread-safe.
 */
public final class BatchRunner implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BatchRunner.class.getName());
    private final BatchParts parts;
    private final UpstreamBatchRun upstream;
    private final GatewayBatchRun gateway;
    private final BatchEnd end;
    private final String holder = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    /** The batches being stepped or run here, as last seen in the store. */
    private final Map<String, Batch> busy = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-batches");
        t.setDaemon(true);
        return t;
    });

    public BatchRunner(BatchParts parts) {
        this.parts = parts;
        this.end = new BatchEnd(parts);
        this.upstream = new UpstreamBatchRun(parts, end);
        this.gateway = new GatewayBatchRun(parts, end, holder);
    }

    /** Starts looking at batches every poll interval. */
    public BatchRunner start() {
        long every = parts.settings().pollInterval().toMillis();
        timer.scheduleWithFixedDelay(this::look, 0, every, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Looks at the batches now (one was submitted or cancelled). */
    public void wake() {
        if (!timer.isShutdown()) timer.execute(this::look);
    }

    private void look() {
        try {
            for (Batch batch : parts.store().unfinished().toCompletableFuture().get(30, TimeUnit.SECONDS)) {
                Instant now = parts.clock().instant();
                if (!parts.store().lease(batch.id(), holder, now, now.plus(parts.settings().lease())).toCompletableFuture().get(30, TimeUnit.SECONDS)) {
                    continue;
                }
                if (busy.replace(batch.id(), batch) != null) continue; // still at work here: it now sees the batch as it is
                busy.put(batch.id(), batch);
                step(batch).whenComplete((x, error) -> {
                    busy.remove(batch.id());
                    if (error != null) failed(batch, io.sluice.domain.error.Failures.cause(error));
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "batches could not be read (" + e.getClass().getSimpleName() + "); tried again later");
        }
    }

    /** A step that cannot succeed later (its input file was deleted) fails the batch; any other is tried again. */
    private void failed(Batch batch, Throwable error) {
        if (!(error instanceof io.sluice.domain.error.NonRetriableException)) {
            LOG.log(System.Logger.Level.WARNING, "batch " + batch.id() + " step failed (" + error.getClass().getSimpleName() + "); tried again later");
            return;
        }
        Batch failed = batch.withFailure(error.getMessage());
        parts.store().update(failed, batch.status()).thenCompose(ok -> end.finish(failed, java.util.List.of(), io.sluice.domain.batch.BatchStatus.FAILED,
                java.math.BigDecimal.ZERO));
    }

    /** Steps the batch as it is now: the list it was found in may be older than a step that ended since. */
    private CompletionStage<Void> step(Batch listed) {
        return parts.store().find(listed.owner(), listed.id()).thenCompose(found -> {
            if (found.isEmpty() || found.get().status().ended()) return java.util.concurrent.CompletableFuture.completedFuture(null);
            busy.put(listed.id(), found.get());
            return stepFresh(found.get());
        });
    }

    private CompletionStage<Void> stepFresh(Batch batch) {
        boolean expired = parts.clock().instant().isAfter(batch.expiresAt());
        try {
            if (batch.upstreamProvider() != null) return upstream.step(batch, expired);
            return gateway.run(batch, () -> busy.getOrDefault(batch.id(), batch));
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
