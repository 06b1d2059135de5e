package io.sluice.engine.batch;

import io.sluice.domain.batch.Batch;
import io.sluice.domain.batch.BatchLine;
import io.sluice.domain.batch.BatchLineResult;
import io.sluice.domain.batch.BatchStatus;
import io.sluice.domain.files.StoredFile;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Ends a batch, once its requests have all ended or it was stopped: writes its output file (the answers) and error file
 * (the failures, and the requests it never ran), settles its reservation, stores its last status, and forgets the
 * results its files now hold. Every step may be done again after a restart without doubling anything: the files' ids
 * come from the batch's, and a hold settles once.
 */
final class BatchEnd {
    /** What OpenAI calls the files a batch writes. */
    static final String OUTPUT_PURPOSE = "batch_output";

    private final BatchParts parts;

    BatchEnd(BatchParts parts) {
        this.parts = parts;
    }

    /**
     * Ends {@code batch} as {@code end}. {@code settled}: what its reservation is replaced by (what its requests were
     * billed), or null when it was released already. False when another change to the batch came first.
     */
    CompletionStage<Boolean> finish(Batch batch, List<BatchLine> lines, BatchStatus end, BigDecimal settled) {
        return parts.store().results(batch.id()).thenCompose(results -> {
            StringBuilder output = new StringBuilder();
            StringBuilder errors = new StringBuilder();
            Set<Integer> ended = new HashSet<>();
            int ok = 0;
            for (BatchLineResult r : results) {
                ended.add(r.index());
                (r.ok() ? output : errors).append(r.line()).append('\n');
                if (r.ok()) ok++;
            }
            Batch.Counts counts = new Batch.Counts(batch.counts().total(), ok, results.size() - ok);
            for (BatchLine line : lines) {
                if (ended.contains(line.index())) continue;
                errors.append(notRun(line, end)).append('\n');
            }
            Instant now = parts.clock().instant();
            return file(batch, "output", output).thenCombine(file(batch, "error", errors), (out, err) -> batch.withFiles(out, err))
                    .thenCompose(next -> settled == null ? CompletableFuture.completedFuture(next) : parts.settle(batch, settled).thenApply(v -> next))
                    .thenCompose(next -> parts.store().update(next.withCounts(counts)
                            .withStatus(BatchStatus.FINALIZING, now).withStatus(end, now), batch.status()))
                    // the files hold the answers now: a second copy of them is not kept
                    .thenCompose(written -> written ? parts.store().dropResults(batch.id()).thenApply(x -> true) : CompletableFuture.completedFuture(false));
        });
    }

    /** The error line of a request that never ran, and why. */
    private String notRun(BatchLine line, BatchStatus end) {
        return switch (end) {
            case EXPIRED -> parts.codec().errorLine(line.customId(), null, 0, "batch_expired",
                    "This request could not be executed before the completion window expired.");
            case CANCELLED -> parts.codec().errorLine(line.customId(), null, 0, "batch_cancelled",
                    "This request was not executed because the batch was cancelled.");
            case FAILED -> parts.codec().errorLine(line.customId(), null, 0, "batch_failed", "This request was not executed because the batch failed.");
            default -> parts.codec().errorLine(line.customId(), null, 0, "request_not_run", "The provider's batch ended without running this request.");
        };
    }

    /** The batch's output or error file, written once; null when it has nothing to hold. */
    private CompletionStage<String> file(Batch batch, String kind, StringBuilder content) {
        if (content.isEmpty()) return CompletableFuture.completedFuture(null);
        String id = "file-" + UUID.nameUUIDFromBytes((batch.id() + "/" + kind).getBytes(StandardCharsets.UTF_8)).toString().replace("-", "").substring(0, 24);
        return parts.files().find(batch.owner(), id).thenCompose(found -> {
            if (found.isPresent()) return CompletableFuture.completedFuture(id);
            byte[] bytes = content.toString().getBytes(StandardCharsets.UTF_8);
            StoredFile file = new StoredFile(id, batch.owner(), OUTPUT_PURPOSE, batch.id() + "_" + kind + ".jsonl", bytes.length, parts.clock().instant());
            return parts.files().create(file, bytes).thenApply(v -> id);
        });
    }
}
