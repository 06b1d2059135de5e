package io.sluice.engine.memory;

import io.sluice.domain.ChatMessage;
import io.sluice.domain.ChatOptions;
import io.sluice.domain.ChatRequest;
import io.sluice.domain.Encoding;
import io.sluice.domain.StoredMessage;
import io.sluice.domain.ToolCall;
import io.sluice.domain.context.Summary;
import io.sluice.ports.out.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Folds messages into a conversation's summary with a model, through the gateway's own provider path. Messages are
 * fed in chunks that fit the summary model's window, each chunk merged with the summary so far, so any length can be
 * summarized and later summaries summarize earlier ones. Thread-safe.
 */
public final class Summarizer {
    public static final String INSTRUCTIONS = "You keep the running summary of a customer-support conversation. Merge the previous"
            + " summary and the new messages into one summary. Keep names, numbers, order ids, dates, decisions, promises and"
            + " open questions; drop greetings and small talk. Write plain text in the conversation's language.";
    /** Room for the instructions and framing around a chunk. */
    private static final int OVERHEAD_TOKENS = 200;

    private final TokenCounter tokens;

    public Summarizer(TokenCounter tokens) {
        this.tokens = tokens;
    }

    /**
     * @param previous      the summary so far, or null
     * @param messages      the messages to fold in, oldest first, all newer than {@code previous}
     * @param complete      sends a request to the summary model (whose name upstream is {@code upstreamModel})
     * @param modelWindow   the summary model's context window
     * @param sendEncoding  the encoding of the model the summary will be sent to, for its token count
     */
    public CompletionStage<Summary> fold(Summary previous, List<StoredMessage> messages,
                                         java.util.function.Function<ChatRequest, CompletionStage<io.sluice.domain.ChatResponse>> complete, String upstreamModel,
                                         int modelWindow, Encoding modelEncoding, int maxSummaryTokens, Encoding sendEncoding) {
        int chunkBudget = Math.max(1, modelWindow - maxSummaryTokens - OVERHEAD_TOKENS - (previous == null ? 0 : previous.tokens()));
        List<List<StoredMessage>> chunks = chunks(messages, chunkBudget, modelEncoding);
        CompletionStage<Summary> result = CompletableFuture.completedFuture(previous);
        for (List<StoredMessage> chunk : chunks) {
            result = result.thenCompose(summary -> complete.apply(request(summary, chunk, upstreamModel, maxSummaryTokens))
                    .thenApply(response -> {
                        String text = response.message().content() == null ? "" : response.message().content().strip();
                        if (text.isEmpty()) throw new IllegalStateException("the summary model returned an empty summary");
                        Summary next = new Summary(text, chunk.getLast().seq(), 0);
                        return new Summary(text, next.throughSeq(), tokens.countMessage(next.asMessage(), sendEncoding));
                    }));
        }
        return result;
    }

    private List<List<StoredMessage>> chunks(List<StoredMessage> messages, int budget, Encoding encoding) {
        List<List<StoredMessage>> chunks = new ArrayList<>();
        List<StoredMessage> chunk = new ArrayList<>();
        int size = 0;
        for (StoredMessage m : messages) {
            int t = tokens.countText(line(m), encoding);
            if (!chunk.isEmpty() && size + t > budget) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                size = 0;
            }
            chunk.add(m);
            size += t;
        }
        if (!chunk.isEmpty()) chunks.add(chunk);
        return chunks;
    }

    static ChatRequest request(Summary previous, List<StoredMessage> chunk, String upstreamModel, int maxSummaryTokens) {
        StringBuilder text = new StringBuilder("Previous summary:\n").append(previous == null ? "(none)" : previous.text())
                .append("\n\nNew messages:\n");
        for (StoredMessage m : chunk) text.append(line(m)).append('\n');
        text.append("\nWrite the merged summary in at most ").append(maxSummaryTokens * 3 / 4).append(" words.");
        ChatOptions options = ChatOptions.builder().temperature(0.0).maxTokens(maxSummaryTokens).build();
        return new ChatRequest(upstreamModel, List.of(ChatMessage.system(INSTRUCTIONS), ChatMessage.user(text.toString())), options);
    }

    private static String line(StoredMessage m) {
        ChatMessage msg = m.message();
        StringBuilder line = new StringBuilder(msg.role().wireName()).append(": ");
        if (msg.content() != null) line.append(msg.content());
        for (ToolCall call : msg.toolCalls()) line.append(" [called ").append(call.name()).append(' ').append(call.argumentsJson()).append(']');
        return line.toString();
    }
}
