package io.sluice.ports.out;

import io.sluice.domain.ChatResponse;
import io.sluice.domain.batch.BatchLine;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A provider's own batch API (OpenAI's Batch API, Anthropic's Message Batches): it takes many requests at once, runs
 * them within a day at a lower price, and is asked later how far it got. Failures are mapped to the gateway's
 * exceptions as for a chat call. Thread-safe.
 */
public interface UpstreamBatches {
    /** Where an upstream batch stands: {@code ended} once it will change no more (done, cancelled or expired). */
    record State(boolean ended, int completed, int failed) {}

    /**
     * What one request came to upstream: its answer, or (when {@code response} is null) the HTTP {@code status} and
     * {@code message} of its failure; a request never run (cancelled, expired) has status 0.
     */
    record Outcome(String customId, ChatResponse response, int status, String message) {}

    /** Submits the lines, whose requests name the upstream's models; the upstream's id for the batch. */
    CompletionStage<String> submit(List<BatchLine> lines);

    CompletionStage<State> state(String upstreamId);

    /** What each request came to, once {@link State#ended()}. */
    CompletionStage<List<Outcome>> results(String upstreamId);

    CompletionStage<Void> cancel(String upstreamId);
}
