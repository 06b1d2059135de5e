package io.sluice.http.server;

import io.sluice.domain.keys.ApiKey;
import io.sluice.http.openai.ParsedChatRequest;
import io.sluice.ports.in.Caller;
import io.sluice.ports.in.ChatCall;
import io.sluice.ports.in.ChatCompletions;
import io.sluice.ports.in.ConversationRef;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** {@code POST /v1/messages/count_tokens}: Anthropic's prompt count, {@code {"input_tokens": N}}, in the serving model's encoding. */
final class CountTokensHandler {
    private final ChatCompletions chat;
    private final MessagesChatApi api;

    CountTokensHandler(ChatCompletions chat, MessagesChatApi api) {
        this.chat = chat;
        this.api = api;
    }

    void handle(RoutingContext ctx) {
        Context context = ctx.vertx().getOrCreateContext();
        try {
            Buffer body = ctx.body().buffer();
            Optional<ApiKey> key = Authenticator.key(ctx);
            ParsedChatRequest parsed = api.readCount(body == null ? null : body.getBytes(), key.flatMap(k -> k.policy().route()));
            ChatCall call = new ChatCall(new Caller(Authenticator.owner(ctx), parsed.request().options().user(), key), ConversationRef.NONE,
                    parsed.request(), Optional.empty(), Optional.empty(), 0, RequestIds.of(ctx), null);
            chat.countPromptTokens(call).whenComplete((count, error) -> context.runOnContext(v -> {
                if (error != null) api.sendError(ctx.response(), ErrorResponses.toApiError(error));
                else ctx.response().putHeader("content-type", "application/json").end("{\"input_tokens\":" + count + "}");
            }));
        } catch (RuntimeException e) {
            api.sendError(ctx.response(), ErrorResponses.toApiError(e));
        }
    }
}
