package io.sluice.engine.batch;

import io.sluice.domain.batch.Batch;
import io.sluice.domain.batch.BatchStatus;
import io.sluice.domain.error.BatchNotFoundException;
import io.sluice.domain.error.FileNotFoundException;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.keys.ApiKey;
import io.sluice.ports.in.Batches;
import io.sluice.ports.in.Caller;
import io.sluice.ports.out.Page;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Batch API: a batch is checked and its worst case reserved on the owner's budgets when it is submitted (refused
 * with 402 when the budgets cannot hold it), then {@link BatchRunner} runs it. Thread-safe.
 */
public final class BatchService implements Batches {
    /** How long a submission waits for room on a budget that calls in flight hold. */
    private static final Duration RESERVE_WAIT = Duration.ofSeconds(2);
    private static final int MAX_METADATA = 16;

    private final BatchParts parts;
    private final BatchRunner runner;

    public BatchService(BatchParts parts, BatchRunner runner) {
        this.parts = parts;
        this.runner = runner;
    }

    @Override
    public CompletionStage<Batch> create(Caller caller, String inputFileId, String endpoint, String completionWindow, Map<String, String> metadata) {
        try {
            check(inputFileId, endpoint, completionWindow, metadata);
        } catch (InvalidRequestException e) {
            return CompletableFuture.failedFuture(e);
        }
        String owner = caller.owner();
        return parts.files().find(owner, inputFileId).thenCompose(file -> {
            if (file.isEmpty()) throw new FileNotFoundException(inputFileId);
            if (!"batch".equals(file.get().purpose())) {
                throw new InvalidRequestException("The file " + inputFileId + " was uploaded with purpose '" + file.get().purpose()
                        + "'; a batch's input needs purpose 'batch'", "input_file_id");
            }
            return parts.lines(owner, inputFileId);
        }).thenCompose(lines -> {
            BatchPlan plan = BatchPlan.of(lines, parts.models());
            BigDecimal worstCase = plan.worstCase(parts.models(), parts.tokens(), parts.context());
            Instant now = parts.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // as the store keeps it
            String id = Batch.newId();
            Instant expires = now.plus(parts.settings().window());
            Batch batch = new Batch(id, owner, caller.key().map(ApiKey::id).orElse(null), inputFileId, endpoint, completionWindow, metadata,
                    BatchStatus.VALIDATING, null, now, expires, new Batch.Counts(lines.size(), 0, 0), null, null,
                    plan.upstream() == null ? null : plan.upstream().name(), null, worstCase, null);
            return parts.budgets().reserveUntil(caller, worstCase, id, now, expires, System.nanoTime() + RESERVE_WAIT.toNanos())
                    .thenCompose(hold -> parts.store().create(batch).handle((done, error) -> {
                        if (error == null) return CompletableFuture.completedFuture(batch);
                        return hold.settle(BigDecimal.ZERO, now).<Batch>thenCompose(x -> CompletableFuture.failedFuture(error));
                    }).thenCompose(stage -> stage));
        }).whenComplete((batch, error) -> {
            if (error == null) runner.wake();
        });
    }

    private static void check(String inputFileId, String endpoint, String completionWindow, Map<String, String> metadata) {
        if (inputFileId == null || inputFileId.isBlank() || inputFileId.length() > 64) {
            throw new InvalidRequestException("'input_file_id' must name a file uploaded with purpose 'batch'", "input_file_id");
        }
        if (!CHAT_ENDPOINT.equals(endpoint)) {
            throw new InvalidRequestException("'endpoint' must be '" + CHAT_ENDPOINT + "': the one endpoint this gateway runs in batches", "endpoint");
        }
        if (!COMPLETION_WINDOW.equals(completionWindow)) {
            throw new InvalidRequestException("'completion_window' must be '" + COMPLETION_WINDOW + "'", "completion_window");
        }
        if (metadata.size() > MAX_METADATA) throw new InvalidRequestException("'metadata' may hold at most " + MAX_METADATA + " pairs", "metadata");
        metadata.forEach((k, v) -> {
            if (k.isEmpty() || k.length() > 64 || v == null || v.length() > 512) {
                throw new InvalidRequestException("'metadata' keys must be 1 to 64 characters and values at most 512", "metadata");
            }
        });
    }

    @Override
    public CompletionStage<Batch> get(String owner, String id) {
        return parts.store().find(owner, id).thenApply(found -> found.orElseThrow(() -> new BatchNotFoundException(id)));
    }

    @Override
    public CompletionStage<Page<Batch>> list(String owner, String after, int limit) {
        return parts.store().list(owner, after, limit);
    }

    @Override
    public CompletionStage<Batch> cancel(String owner, String id) {
        return get(owner, id).thenCompose(batch -> {
            if (batch.status().ended() || batch.status() == BatchStatus.CANCELLING) return CompletableFuture.completedFuture(batch);
            Batch cancelling = batch.withStatus(BatchStatus.CANCELLING, parts.clock().instant());
            return parts.store().update(cancelling, batch.status()).thenCompose(done -> {
                if (!done) return cancel(owner, id); // it moved on meanwhile: ask again
                runner.wake();
                return CompletableFuture.completedFuture(cancelling);
            });
        });
    }
}
