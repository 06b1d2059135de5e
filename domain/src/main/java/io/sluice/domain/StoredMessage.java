package io.sluice.domain;

import java.time.Instant;
import java.util.Map;

/**
 * A message as stored in a conversation: its position ({@code seq}, monotonic from 1), its exact token count in the
 * model's encoding including the per-message framing overhead, and the model that produced or received it.
 */
public record StoredMessage(ConversationId conversationId, long seq, ChatMessage message, int tokenCount,
                            String model, Instant created, Map<String, String> metadata) {
    /** The metadata key of a stored answer that names the request ({@code x-request-id}) that produced it. */
    public static final String REQUEST_ID = "request_id";
    /** The metadata keys of a stored answer that hold its call's billed input and output tokens. */
    public static final String INPUT_TOKENS = "input_tokens";
    public static final String OUTPUT_TOKENS = "output_tokens";
    /** The metadata key of a stored answer that came from the response cache ({@code "true"}). */
    public static final String CACHED = "cached";
    /** The metadata key of a stored answer that is the route's fallback reply ({@code "true"}): never context again. */
    public static final String FALLBACK = "fallback";
    /**
     * The metadata keys of a stored answer that say what its turn sent upstream: the context strategy, the prompt's
     * tokens, the stored messages that made it in ({@code "sent/available"}), the summary's last seq and tokens (when
     * one was sent); and what the turn cost (dollars, as the ledger has it) and took (milliseconds).
     */
    public static final String CONTEXT_STRATEGY = "context_strategy";
    public static final String CONTEXT_TOKENS = "context_tokens";
    public static final String CONTEXT_MESSAGES = "context_messages";
    public static final String SUMMARY_THROUGH_SEQ = "summary_through_seq";
    public static final String SUMMARY_TOKENS = "summary_tokens";
    public static final String COST_USD = "cost_usd";
    public static final String LATENCY_MS = "latency_ms";

    /** The billed usage stored with an answer, if it was stored with one. */
    public java.util.Optional<Usage> usage() {
        String input = metadata.get(INPUT_TOKENS);
        String output = metadata.get(OUTPUT_TOKENS);
        if (input == null || output == null) return java.util.Optional.empty();
        try {
            return java.util.Optional.of(new Usage(Integer.parseInt(input), Integer.parseInt(output), 0));
        } catch (NumberFormatException e) {
            return java.util.Optional.empty(); // metadata a client added, not a bill
        }
    }

    public StoredMessage {
        Require.nonNull(conversationId, "conversationId");
        if (seq < 1) throw new IllegalArgumentException("'seq' must be at least 1, was " + seq);
        Require.nonNull(message, "message");
        Require.nonNegative(tokenCount, "tokenCount");
        Require.nonNull(created, "created");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
