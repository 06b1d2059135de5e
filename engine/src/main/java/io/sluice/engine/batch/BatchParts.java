package io.sluice.engine.batch;

import io.sluice.domain.batch.Batch;
import io.sluice.domain.batch.BatchLine;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.engine.budget.BudgetGuard;
import io.sluice.engine.memory.ContextDefaults;
import io.sluice.engine.models.ModelRegistry;
import io.sluice.ports.in.Caller;
import io.sluice.ports.in.ChatCompletions;
import io.sluice.ports.out.ApiKeyStore;
import io.sluice.ports.out.BatchCodec;
import io.sluice.ports.out.BatchStore;
import io.sluice.ports.out.FileStore;
import io.sluice.ports.out.TokenCounter;
import io.sluice.ports.out.UsageLedger;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What the Batch API runs on: where batches, files and bills are kept, how files read, how models resolve, the budgets,
 * the gateway's own chat calls (for the batches it runs itself), the clock and the settings. Immutable.
 */
public record BatchParts(BatchStore store, FileStore files, BatchCodec codec, ModelRegistry models, TokenCounter tokens, ContextDefaults context,
                         BudgetGuard budgets, UsageLedger ledger, ApiKeyStore keys, ChatCompletions chat, Clock clock, BatchSettings settings) {

    /** The batch's requests, read again from its input file. */
    CompletionStage<List<BatchLine>> lines(Batch batch) {
        return lines(batch.owner(), batch.inputFileId());
    }

    /** The requests of the owner's input file {@code fileId}. */
    CompletionStage<List<BatchLine>> lines(String owner, String fileId) {
        return files.content(owner, fileId).thenApply(content -> codec.read(content.orElseThrow(
                () -> new InvalidRequestException("The batch's input file " + fileId + " was deleted", "input_file_id"))));
    }

    /** Who submitted the batch: its owner, with the key it came with when that key is still known. */
    CompletionStage<Caller> caller(Batch batch) {
        if (batch.apiKeyId() == null) return java.util.concurrent.CompletableFuture.completedFuture(new Caller(batch.owner(), null));
        return keys.find(batch.apiKeyId()).thenApply(key -> new Caller(batch.owner(), null, key.filter(k -> k.owner().equals(batch.owner()))));
    }

    /** The batch's reservation, made again to settle. */
    CompletionStage<Void> settle(Batch batch, java.math.BigDecimal actual) {
        return caller(batch).thenCompose(caller -> budgets.held(caller, batch.reserved(), batch.id(), batch.createdAt(), batch.expiresAt())
                .settle(actual, clock.instant()));
    }
}
