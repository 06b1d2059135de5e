package io.sluice.http.server;

import io.sluice.domain.ChatResponse;
import io.sluice.http.openai.ParsedChatRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * One inbound chat API on the gateway's one call pipeline: how a request is read, an answer and a stream written, and
 * an error shaped. OpenAI's chat completions and Anthropic's Messages API are two. Thread-safe.
 */
interface ChatApi {
    /** Where the API a request came in on is kept, so that every error on its way (authentication, limits) has its shape. */
    String CONTEXT_KEY = "sluice.api";

    /** The request, checked; every refusal names the offending field. */
    ParsedChatRequest read(byte[] body, Optional<String> defaultModel);

    /** The call as the gateway answered it: its request id, and the conversation it was stored in. */
    record Answered(String requestId, Optional<io.sluice.domain.ConversationId> conversationId) {}

    byte[] response(ParsedChatRequest request, ChatResponse response, Answered answered);

    /** A fresh format for one stream of {@code request}. */
    StreamFormat streamFormat(ParsedChatRequest request, Answered answered);

    /** Answers {@code error} in this API's error shape. */
    void sendError(HttpServerResponse response, ErrorResponses.ApiError error);

    /** The API of the request in {@code ctx}, for its errors; OpenAI's unless a route said otherwise. */
    static Optional<ChatApi> of(RoutingContext ctx) {
        return Optional.ofNullable(ctx.get(CONTEXT_KEY));
    }
}
