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
}
