package io.sluice.http.server;

import io.sluice.http.openai.OpenAiJson;
import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Answers a request from an asynchronous call: its JSON with {@code status}, or its error in OpenAI's shape (a refusal
 * while the call is being made included), always written from the request's own context.
 */
final class Replies {
    private Replies() {}

    static <T> void json(RoutingContext ctx, OpenAiJson errors, int status, Supplier<CompletionStage<T>> call, Function<T, String> write) {
        Context context = ctx.vertx().getOrCreateContext();
        CompletionStage<T> stage;
        try {
            stage = call.get();
        } catch (RuntimeException e) {
            ErrorResponses.send(ctx.response(), errors, ErrorResponses.toApiError(e));
            return;
        }
        stage.whenComplete((result, error) -> context.runOnContext(v -> {
            if (error != null) {
                ErrorResponses.send(ctx.response(), errors, ErrorResponses.toApiError(error));
                return;
            }
            String body;
            try {
                body = write.apply(result);
            } catch (RuntimeException e) {
                ErrorResponses.send(ctx.response(), errors, ErrorResponses.toApiError(e));
                return;
            }
            ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
        }));
    }
}
