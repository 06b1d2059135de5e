package io.sluice.http.server;

import io.sluice.domain.ConversationId;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.http.internal.ChatRequestReader;
import io.sluice.http.internal.OpenAiJson;
import io.sluice.http.internal.ParsedChatRequest;
import io.sluice.domain.keys.ApiKey;
import io.sluice.ports.in.Caller;
import io.sluice.ports.in.ChatCall;
import io.sluice.ports.in.ChatCompletions;
import io.sluice.ports.in.ChatResult;
import io.sluice.ports.in.ConversationRef;
import io.sluice.ports.in.ModelDirectory;
import io.sluice.ports.in.ServedBy;
import io.sluice.domain.ChatResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.sluice.domain.context.ContextStrategy;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code POST /v1/chat/completions}: validate, hand the call to the engine, answer in JSON or SSE. */
final class ChatHandler implements Handler<RoutingContext> {
    static final String CONVERSATION_HEADER = "X-Conversation-Id";
    static final String STRATEGY_HEADER = "X-Context-Strategy";
    static final String TIER_HEADER = "X-SLA-Tier";
    static final String MODEL_HEADER = "X-Sluice-Model";
    static final String FALLBACKS_HEADER = "X-Sluice-Fallbacks";
    /** Metric tag for models the gateway does not know and the upstream did not confirm: keeps cardinality bounded. */
    static final String OTHER_MODEL = "_other";

    private final ChatCompletions chat;
    private final ChatRequestReader reader;
    private final OpenAiJson json;
    private final GatewayMetrics metrics;
    private final Set<String> knownModels;

    /** @param knownModels what a call's {@code model} may name: the models, and the routes */
    ChatHandler(ChatCompletions chat, Set<String> knownModels, OpenAiJson json, GatewayMetrics metrics) {
        this.chat = chat;
        this.reader = new ChatRequestReader(json.mapper());
        this.json = json;
        this.metrics = metrics;
        this.knownModels = knownModels;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = ServerTiming.startOf(ctx);
        Context context = ctx.vertx().getOrCreateContext();
        ParsedChatRequest parsed;
        ChatCall call;
        try {
            Buffer body = ctx.body().buffer();
            Optional<ApiKey> key = Authenticator.key(ctx);
            parsed = reader.read(body == null ? null : body.getBytes(), key.flatMap(k -> k.policy().route()));
            String strategy = ctx.request().getHeader(STRATEGY_HEADER);
            call = new ChatCall(new Caller(Authenticator.owner(ctx), parsed.request().options().user(), key),
                    conversationRef(ctx.request().getHeader(CONVERSATION_HEADER)), parsed.request(),
                    strategy == null || strategy.isBlank() ? Optional.empty() : Optional.of(ContextStrategy.parse(strategy)),
                    Optional.ofNullable(ctx.request().getHeader(TIER_HEADER)).filter(t -> !t.isBlank()));
        } catch (RuntimeException e) {
            fail(ctx, e, OTHER_MODEL, start);
            return;
        }
        String model = parsed.request().model();
        try {
            if (parsed.stream()) {
                chat.stream(call).whenComplete((stream, error) -> context.runOnContext(v -> {
                    if (error != null) {
                        fail(ctx, error, modelTag(model, false), start);
                        return;
                    }
                    ServerTiming.FirstChunk timing = new ServerTiming.FirstChunk(start, stream.servedBy(), metrics);
                    stream.chunks().subscribe(new SseWriter(ctx.response(), context, json, parsed.includeUsage(),
                            stream.conversationId(), model, stream.servedBy(), timing, (last, failure) -> streamEnded(model, last, failure, start)));
                }));
            } else {
                chat.complete(call).whenComplete((result, error) -> context.runOnContext(v -> {
                    if (error != null) fail(ctx, error, modelTag(model, false), start);
                    else respond(ctx, model, result, start);
                }));
            }
        } catch (RuntimeException e) {
            fail(ctx, e, modelTag(model, false), start);
        }
    }

    private void respond(RoutingContext ctx, String model, ChatResult result, long start) {
        result.conversationId().ifPresent(id -> ctx.response().putHeader(CONVERSATION_HEADER, id.value()));
        putServedBy(ctx.response(), result.servedBy());
        ChatResponse response = result.response();
        if (!result.servedBy().model().equals(model)) { // a route or a fallback answered: name the model that did
            response = new ChatResponse(response.id(), result.servedBy().model(), response.createdEpochSeconds(), response.message(),
                    response.finishReason(), response.usage());
        }
        Buffer body = Buffer.buffer(json.writeResponse(response));
        ctx.response().putHeader(ServerTiming.HEADER, ServerTiming.answered(start, result.timings(), metrics))
                .putHeader("content-type", "application/json").end(body);
        String tag = modelTag(model, true);
        metrics.tokens(tag, result.response().model(), result.response().usage());
        metrics.operation(tag, result.response().model(), null, System.nanoTime() - start);
    }

    private void streamEnded(String model, io.sluice.domain.ChatChunk last, Throwable failure, long start) {
        String tag = modelTag(model, failure == null);
        String responseModel = last == null ? null : last.model();
        if (last != null && last.usage() != null) metrics.tokens(tag, responseModel, last.usage());
        metrics.operation(tag, responseModel, failure == null ? null : ErrorResponses.toApiError(failure).code(), System.nanoTime() - start);
    }

    private void fail(RoutingContext ctx, Throwable error, String modelTag, long start) {
        ErrorResponses.ApiError apiError = ErrorResponses.toApiError(error);
        ErrorResponses.send(ctx.response(), json, apiError);
        metrics.operation(modelTag, null, apiError.code() == null ? apiError.type() : apiError.code(), System.nanoTime() - start);
    }

    static void putServedBy(HttpServerResponse response, ServedBy servedBy) {
        response.putHeader(MODEL_HEADER, servedBy.model()).putHeader(FALLBACKS_HEADER, Integer.toString(servedBy.fallbacks()));
    }

    private String modelTag(String model, boolean servedByUpstream) {
        return servedByUpstream || knownModels.contains(model) ? model : OTHER_MODEL;
    }

    private static ConversationRef conversationRef(String header) {
        if (header == null || header.isBlank()) return ConversationRef.NONE;
        if (header.equalsIgnoreCase("new")) return ConversationRef.NEW;
        try {
            return ConversationRef.existing(new ConversationId(header.trim()));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("'" + CONVERSATION_HEADER + "' must be 'new' or a conversation id (conv_ and 32 hex digits)",
                    CONVERSATION_HEADER, "invalid_conversation_id");
        }
    }
}
