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
    /**
     * Where an upstream batch stands: {@code endedAs} is null while it runs, else how it ended ({@code COMPLETED},
     * {@code CANCELLED}, {@code EXPIRED}, or {@code FAILED} when the provider refused it whole).
     */
    record State(io.sluice.domain.batch.BatchStatus endedAs, int completed, int failed) {
        public boolean ended() {
            return endedAs != null;
        }
    }

    /**
     * What one request came to upstream, named by its line's {@link BatchLine#index()}: its answer, or (when
     * {@code response} is null) the HTTP {@code status} and {@code message} of its failure; a request never run
     * (cancelled, expired) has status 0.
     */
    record Outcome(int index, ChatResponse response, int status, String message) {}

    /**
     * The id a request is sent under: its line's index, in a form every batch API takes (Anthropic's allows 64 letters,
     * digits, {@code -} and {@code _}), whatever the client's {@code custom_id}.
     */
    static String upstreamId(BatchLine line) {
        return "line-" + line.index();
    }

    /** The line index of an id made by {@link #upstreamId}; -1 for any other. */
    static int lineOf(String upstreamCustomId) {
        if (upstreamCustomId == null || !upstreamCustomId.matches("line-\\d{1,9}")) return -1;
        return Integer.parseInt(upstreamCustomId.substring(5));
    }

    /** Submits the lines, whose requests name the upstream's models; the upstream's id for the batch. */
    CompletionStage<String> submit(List<BatchLine> lines);

    CompletionStage<State> state(String upstreamId);

    /** What each request came to, once {@link State#ended()}. */
    CompletionStage<List<Outcome>> results(String upstreamId);

    CompletionStage<Void> cancel(String upstreamId);
}
