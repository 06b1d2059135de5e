package io.sluice.engine.batch;

import io.sluice.domain.batch.Batch;
import io.sluice.domain.batch.BatchStatus;
import io.sluice.domain.error.Failures;
import io.sluice.domain.error.NonRetriableException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Moves every unfinished batch on, every poll interval and whenever one is submitted or cancelled: it takes the
 * batches no other replica holds (a lease, renewed on each look, so that a batch of a replica that stopped is taken up
 * by another once the lease lapses), and steps each (submitted upstream, asked after, ended), or runs it on the
 * gateway. A batch is worked on by one step at a time; a run on the gateway stops starting requests when its lease is
 * lost or the runner is closed. Stopped by {@link #close()}. Thread-safe.
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
    /** Busy batches whose lease another replica took: their run here stops starting requests. */
    private final Set<String> lost = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
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
                boolean leased = parts.store().lease(batch.id(), holder, now, now.plus(parts.settings().lease())).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                if (!leased) {
                    if (busy.containsKey(batch.id())) lost.add(batch.id());
                    continue;
                }
                if (busy.replace(batch.id(), batch) != null) continue; // still at work here: it now sees the batch as it is
                busy.put(batch.id(), batch);
                step(batch).whenComplete((x, error) -> {
                    busy.remove(batch.id());
                    lost.remove(batch.id());
                    if (error != null) failed(batch, Failures.cause(error));
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "batches could not be read (" + e.getClass().getSimpleName() + "); tried again later");
        }
    }

    /**
     * A step that cannot succeed later (the input file was deleted, the provider refused the batch, the key was
     * revoked) fails the batch, called off at its provider; any other is tried again at the next look.
     */
    private void failed(Batch listed, Throwable error) {
        if (!(error instanceof NonRetriableException) || closed) {
            LOG.log(System.Logger.Level.WARNING, "batch " + listed.id() + " step failed (" + error.getClass().getSimpleName() + "); tried again later");
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "batch " + listed.id() + " failed: " + error.getClass().getSimpleName());
        parts.store().find(listed.owner(), listed.id()).thenCompose(found -> {
            if (found.isEmpty() || found.get().status().ended()) return CompletableFuture.completedFuture(null);
            Batch batch = found.get();
            var api = batch.upstreamId() == null ? java.util.Optional.<io.sluice.ports.out.UpstreamBatches>empty()
                    : parts.models().provider(batch.upstreamProvider()).flatMap(p -> p.batches());
            CompletionStage<Void> calledOff = api.map(a -> a.cancel(batch.upstreamId()).exceptionally(e -> null))
                    .orElse(CompletableFuture.completedFuture(null));
            Batch failed = batch.withFailure(io.sluice.domain.StoredText.clip(error.getMessage(), 500));
            return calledOff.thenCompose(x -> parts.store().update(failed, batch.status())).thenCompose(saved -> !saved
                    ? CompletableFuture.completedFuture(null)
                    : parts.lines(failed).exceptionally(e -> List.of()).thenCompose(lines -> end.finish(failed, lines, BatchStatus.FAILED, BigDecimal.ZERO)));
        }).exceptionally(e -> {
            LOG.log(System.Logger.Level.WARNING, "batch " + listed.id() + " could not be marked failed (" + Failures.cause(e).getClass().getSimpleName()
                    + "); tried again later");
            return null;
        });
    }

    /** Steps the batch as it is now: the list it was found in may be older than a step that ended since. */
    private CompletionStage<Void> step(Batch listed) {
        return parts.store().find(listed.owner(), listed.id()).thenCompose(found -> {
            if (found.isEmpty() || found.get().status().ended()) return CompletableFuture.completedFuture(null);
            Batch batch = found.get();
            busy.put(batch.id(), batch);
            boolean expired = parts.clock().instant().isAfter(batch.expiresAt());
            if (batch.upstreamProvider() != null) return upstream.step(batch, expired);
            return gateway.run(batch, new GatewayBatchRun.Watch() {
                @Override
                public Batch current() {
                    return busy.getOrDefault(batch.id(), batch);
                }

                @Override
                public void changed(Batch next) {
                    busy.put(batch.id(), next);
                }

                @Override
                public boolean stopping() {
                    return closed || lost.contains(batch.id());
                }
            });
        });
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
    }
}
