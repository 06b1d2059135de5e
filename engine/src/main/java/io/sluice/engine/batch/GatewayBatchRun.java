package io.sluice.engine.batch;

import io.sluice.domain.batch.Batch;
import io.sluice.domain.batch.BatchLine;
import io.sluice.domain.batch.BatchLineResult;
import io.sluice.domain.batch.BatchStatus;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.limits.Priority;
import io.sluice.ports.in.CacheDirective;
import io.sluice.ports.in.Caller;
import io.sluice.ports.in.ChatCall;
import io.sluice.ports.in.ConversationRef;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A batch the gateway runs itself, for providers without a batch API: each request is a call of its own, in the
 * {@code low} lane (interactive calls go first wherever calls wait), a few at a time, under the key's limits and
 * budgets and billed as any call. What each request came to is kept as it ends, so that a batch taken up again after
 * a restart runs only the requests that had not ended. A request's id is the batch's, its line's and this runner's: a
 * request that was running when its gateway died is run again under a new id, and both are billed, as the upstream
 * served both. The batch's own reservation is released when it starts: each request then reserves and settles its own.
 */
final class GatewayBatchRun {
    private final BatchParts parts;
    private final BatchEnd end;
    private final String runner;

    /** @param runner a short name of this runner, unique to its process */
    GatewayBatchRun(BatchParts parts, BatchEnd end, String runner) {
        this.parts = parts;
        this.end = end;
        this.runner = runner;
    }

    /**
     * What the runner tells a run while it goes: the batch as last seen in the store (a cancel shows there), and
     * whether to stop starting requests because this process stops or lost the batch's lease to another.
     */
    interface Watch {
        Batch current();

        void changed(Batch batch);

        boolean stopping();
    }

    /**
     * Runs what is left of the batch until every request has ended, or the batch was cancelled, or it expires; then
     * ends it. A run stopped by its runner leaves the batch to the next one.
     */
    CompletionStage<Void> run(Batch batch, Watch watch) {
        return started(batch).thenCompose(b -> {
            if (b.status().ended()) return CompletableFuture.completedFuture(null);
            watch.changed(b);
            return parts.caller(b).thenCompose(caller -> {
                if (b.apiKeyId() != null && caller.key().map(k -> k.revokedAt().isPresent()).orElse(true)) {
                    throw new InvalidRequestException("The key that submitted this batch was revoked", null);
                }
                return parts.settle(b, BigDecimal.ZERO).thenCompose(x -> parts.lines(b)).thenCompose(lines -> parts.store().results(b.id())
                        .thenCompose(done -> {
                            Set<Integer> ended = new HashSet<>();
                            int[] counts = new int[2]; // answered, failed
                            for (BatchLineResult r : done) {
                                ended.add(r.index());
                                counts[r.ok() ? 0 : 1]++;
                            }
                            Queue<BatchLine> left = new ArrayDeque<>();
                            for (BatchLine line : lines) if (!ended.contains(line.index())) left.add(line);
                            return drain(b, caller, left, watch, counts).thenCompose(x -> {
                                if (watch.stopping()) return CompletableFuture.completedFuture(false);
                                Batch last = watch.current();
                                BatchStatus outcome = parts.clock().instant().isAfter(b.expiresAt()) ? BatchStatus.EXPIRED
                                        : last.status() == BatchStatus.CANCELLING ? BatchStatus.CANCELLED : BatchStatus.COMPLETED;
                                return end.finish(last, lines, outcome, null);
                            });
                        }));
            });
        }).thenApply(x -> null);
    }

    /** The batch in progress: a validating one is moved on, or read again when another change came first. */
    private CompletionStage<Batch> started(Batch batch) {
        if (batch.status() != BatchStatus.VALIDATING) return CompletableFuture.completedFuture(batch);
        Batch next = batch.withStatus(BatchStatus.IN_PROGRESS, parts.clock().instant());
        return parts.store().update(next, BatchStatus.VALIDATING).thenCompose(moved -> moved ? CompletableFuture.completedFuture(next)
                : parts.store().find(batch.owner(), batch.id()).thenApply(fresh -> fresh.orElse(batch.withStatus(BatchStatus.CANCELLED,
                        parts.clock().instant()))));
    }

    /** Runs the lines left, {@code concurrency} at a time, until none is left or the batch is stopped. */
    private CompletionStage<Void> drain(Batch batch, Caller caller, Queue<BatchLine> left, Watch watch, int[] counts) {
        CompletableFuture<Void> all = new CompletableFuture<>();
        AtomicInteger running = new AtomicInteger();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            BatchLine line;
            synchronized (left) {
                boolean stop = watch.stopping() || watch.current().status() == BatchStatus.CANCELLING
                        || parts.clock().instant().isAfter(batch.expiresAt());
                line = stop ? null : left.poll();
                if (line == null) {
                    if (running.get() == 0) all.complete(null);
                    return;
                }
                running.incrementAndGet();
            }
            one(batch, caller, line, watch).thenCompose(ok -> {
                if (ok.isEmpty()) return CompletableFuture.completedFuture(false);
                Batch seen;
                synchronized (left) {
                    counts[ok.get() ? 0 : 1]++;
                    seen = watch.current().withCounts(new Batch.Counts(batch.counts().total(), counts[0], counts[1]));
                }
                // what a client polling the batch sees move; a cancel that came between is not overwritten
                return seen.status() == BatchStatus.IN_PROGRESS ? parts.store().update(seen, BatchStatus.IN_PROGRESS) : CompletableFuture.completedFuture(false);
            }).whenComplete((x, error) -> {
                synchronized (left) {
                    running.decrementAndGet();
                }
                next[0].run();
            });
        };
        for (int i = 0; i < parts.settings().concurrency(); i++) next[0].run();
        if (left.isEmpty() && running.get() == 0) all.complete(null);
        return all;
    }

    /** The answer as the chat endpoint gives it: named for the model that served it when a route or a fallback did. */
    private static io.sluice.domain.ChatResponse answer(BatchLine line, io.sluice.ports.in.ChatResult result) {
        String served = result.servedBy().model();
        return served.equals(line.request().model()) ? result.response() : result.response().withModel(served);
    }

    /**
     * Runs one request and keeps what it came to; whether it was answered. A request that failed because its runner
     * is stopping is not kept (empty): the next runner runs it.
     */
    private CompletionStage<Optional<Boolean>> one(Batch batch, Caller caller, BatchLine line, Watch watch) {
        String requestId = batch.id() + "-" + line.index() + "-" + runner;
        ChatCall call = new ChatCall(caller, new ConversationRef.None(), line.request(), Optional.empty(), Optional.empty(), 0, requestId, null,
                CacheDirective.DEFAULT, Priority.LOW);
        return parts.chat().complete(call).handle((result, error) -> error == null
                        ? new BatchLineResult(line.index(), line.customId(), true, parts.codec().okLine(line.customId(), requestId, answer(line, result)))
                        : watch.stopping() ? null
                        : new BatchLineResult(line.index(), line.customId(), false, parts.codec().errorLine(line.customId(), requestId, error)))
                .thenCompose(result -> result == null ? CompletableFuture.completedFuture(Optional.<Boolean>empty())
                        : parts.store().saveResults(batch.id(), List.of(result)).thenApply(x -> Optional.of(result.ok())));
    }
}
