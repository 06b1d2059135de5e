package io.sluice.http.server;

import io.sluice.domain.ChatChunk;

/**
 * How one API frames a chat stream as server-sent events: OpenAI's {@code data:} chunks and {@code [DONE]}, or
 * Anthropic's typed events. Called for one stream, in order, on one thread; may keep state between calls.
 */
interface StreamFormat {
    /** The events for one chunk; empty for none. */
    String chunk(ChatChunk chunk);

    /** The events that end a completed stream. */
    String end();

    /** The event that ends a stream that failed after it started. */
    String error(ErrorResponses.ApiError error);

    /**
     * This format, its completed stream ending with the call's cost as an SSE comment ({@code : x-sluice-cost 0.000001230}),
     * which every client's parser skips: a stream's cost is known only at its end, after its headers went out.
     */
    static StreamFormat withCost(StreamFormat format, java.util.concurrent.CompletionStage<java.math.BigDecimal> cost) {
        return new StreamFormat() {
            @Override
            public String chunk(ChatChunk chunk) {
                return format.chunk(chunk);
            }

            @Override
            public String end() {
                java.math.BigDecimal known = cost.toCompletableFuture().getNow(null);
                return (known == null ? "" : ": x-sluice-cost " + known.toPlainString() + "\n\n") + format.end();
            }

            @Override
            public String error(ErrorResponses.ApiError error) {
                return format.error(error);
            }
        };
    }
}
