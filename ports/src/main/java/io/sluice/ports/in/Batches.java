package io.sluice.ports.in;

import io.sluice.domain.batch.Batch;
import io.sluice.ports.out.Page;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The Batch API: an owner submits a file of chat requests to run within a day at the batch price, follows it, lists
 * and cancels it; its output and error files are read through the Files API. Every call is scoped to the owner:
 * another owner's batch fails with {@link io.sluice.domain.error.BatchNotFoundException}.
 */
public interface Batches {
    /** The one completion window the Batch API offers. */
    String COMPLETION_WINDOW = "24h";
    /** The one endpoint this gateway runs in batches. */
    String CHAT_ENDPOINT = "/v1/chat/completions";

    CompletionStage<Batch> create(Caller caller, String inputFileId, String endpoint, String completionWindow, Map<String, String> metadata);

    CompletionStage<Batch> get(String owner, String id);

    CompletionStage<Page<Batch>> list(String owner, String after, int limit);

    /** Asks the batch to stop: what has run is kept and billed, the rest is not run. An ended batch is left as it is. */
    CompletionStage<Batch> cancel(String owner, String id);
}
