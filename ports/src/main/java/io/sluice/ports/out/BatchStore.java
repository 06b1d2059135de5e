package io.sluice.ports.out;

import io.sluice.domain.batch.Batch;
import io.sluice.domain.batch.BatchLineResult;
import io.sluice.domain.batch.BatchStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where batches are kept, with what each of their requests came to, so that a batch outlives the process that runs
 * it. Reads for a client are scoped to an owner. Implementations are thread-safe and complete asynchronously.
 */
public interface BatchStore {
    CompletionStage<Void> create(Batch batch);

    CompletionStage<Optional<Batch>> find(String owner, String id);

    /** The owner's batches, newest first, after the batch {@code after} (null: from the newest). */
    CompletionStage<Page<Batch>> list(String owner, String after, int limit);

    /**
     * Writes the batch's new state if its stored status is still {@code expected}; false when it is not (a cancel came
     * between), and nothing is written.
     */
    CompletionStage<Boolean> update(Batch batch, BatchStatus expected);

    /** Every batch, of any owner, that has not ended: what a runner takes up when it starts. */
    CompletionStage<List<Batch>> unfinished();

    /** Keeps what these requests came to; keeping one again changes nothing. */
    CompletionStage<Void> saveResults(String batchId, List<BatchLineResult> results);

    /**
     * Takes the batch for {@code holder} until {@code until}, when no other holder has it past {@code now}; false when
     * another does. A holder renews its lease by taking it again.
     */
    CompletionStage<Boolean> lease(String batchId, String holder, java.time.Instant now, java.time.Instant until);

    /** What the batch's requests came to so far, in the input's order. */
    CompletionStage<List<BatchLineResult>> results(String batchId);

    /** Forgets what the batch's requests came to, once its output and error files hold it. */
    CompletionStage<Void> dropResults(String batchId);
}
