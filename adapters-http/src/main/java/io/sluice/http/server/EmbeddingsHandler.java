package io.sluice.http.server;

import io.sluice.domain.EmbeddingRequest;
import io.sluice.domain.keys.ApiKey;
import io.sluice.http.openai.OpenAiEmbeddingsJson;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.ports.in.Caller;
import io.sluice.ports.in.Embeddings;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.Set;

/** {@code POST /v1/embeddings}: validate, hand the call to the engine, answer in OpenAI's shape. */
final class EmbeddingsHandler {
    private final Embeddings embeddings;
    private final OpenAiEmbeddingsJson wire;
    private final OpenAiJson json;
    private final GatewayMetrics metrics;
    private final Set<String> knownModels;
    private final BoundedLabel passthroughModels = new BoundedLabel(GatewayMetrics.MAX_LABEL_VALUES);

    EmbeddingsHandler(Embeddings embeddings, Set<String> knownModels, OpenAiJson json, GatewayMetrics metrics) {
        this.embeddings = embeddings;
        this.wire = new OpenAiEmbeddingsJson(json.mapper());
        this.json = json;
        this.metrics = metrics;
        this.knownModels = knownModels;
    }

    void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        Context context = ctx.vertx().getOrCreateContext();
        EmbeddingRequest request;
        try {
            Buffer body = ctx.body().buffer();
            Optional<ApiKey> key = Authenticator.key(ctx);
            request = wire.readRequest(body == null ? null : body.getBytes(), key.flatMap(k -> k.policy().route()));
            var call = new Embeddings.EmbeddingCall(new Caller(Authenticator.owner(ctx), request.user(), key), request,
                    Optional.ofNullable(ctx.request().getHeader(ChatHandler.TIER_HEADER)).filter(t -> !t.isBlank()), 0, RequestIds.of(ctx));
            embeddings.embed(call).whenComplete((result, error) -> context.runOnContext(v -> {
                String tag = knownModels.contains(request.model()) ? request.model() : error == null ? passthroughModels.of(request.model()) : ChatHandler.OTHER_MODEL;
                if (error != null) {
                    fail(ctx, error, tag, start);
                    return;
                }
                ChatHandler.putServedBy(ctx.response(), result.servedBy());
                ctx.response().putHeader("content-type", "application/json")
                        .end(Buffer.buffer(wire.writeResponse(result.response(), request.encodingFormat())));
                metrics.tokens(GatewayMetrics.EMBEDDINGS, tag, result.response().model(), result.response().usage());
                metrics.operation(GatewayMetrics.EMBEDDINGS, tag, result.response().model(), null, System.nanoTime() - start);
            }));
        } catch (RuntimeException e) {
            fail(ctx, e, ChatHandler.OTHER_MODEL, start);
        }
    }

    private void fail(RoutingContext ctx, Throwable error, String tag, long start) {
        ErrorResponses.ApiError apiError = ErrorResponses.toApiError(error);
        ErrorResponses.send(ctx.response(), json, apiError);
        metrics.operation(GatewayMetrics.EMBEDDINGS, tag, null, apiError.code() == null ? apiError.type() : apiError.code(), System.nanoTime() - start);
    }
}
