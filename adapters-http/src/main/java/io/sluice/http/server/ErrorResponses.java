package io.sluice.http.server;

import io.sluice.domain.error.ContextLengthExceededException;
import io.sluice.domain.error.ConversationNotFoundException;
import io.sluice.domain.error.Failures;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.error.ModelNotFoundException;
import io.sluice.domain.error.RouteNotFoundException;
import io.sluice.domain.limits.RateLimitExceededException;
import io.sluice.domain.limits.LimitDecision;
import java.util.Map;
import io.sluice.domain.error.RetriableException;
import io.sluice.domain.error.SluiceException;
import io.sluice.domain.error.UnsupportedFeatureException;
import io.sluice.domain.error.UpstreamAuthenticationException;
import io.sluice.domain.error.UpstreamRateLimitedException;
import io.sluice.domain.error.UpstreamRejectedException;
import io.sluice.domain.error.UpstreamTimeoutException;
import io.sluice.domain.error.UpstreamUnavailableException;
import io.sluice.http.openai.OpenAiJson;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;

/**
 * The one place where the gateway's exceptions become HTTP answers in OpenAI's error shape. Unexpected exceptions
 * become a 500 whose body says nothing about the cause; they are logged on one line, without a stack trace.
 */
final class ErrorResponses {
    private static final System.Logger LOG = System.getLogger(ErrorResponses.class.getName());

    /**
     * An error as the client will see it. {@code retryAfter} may be null; {@code headers} go with it. {@code internal}:
     * the unexpected failure behind a 500, logged (never sent) when the error is sent; null for the others.
     */
    record ApiError(int status, String type, String code, String param, String message, Duration retryAfter, Map<String, String> headers,
                    Throwable internal) {
        ApiError(int status, String type, String code, String param, String message, Duration retryAfter, Map<String, String> headers) {
            this(status, type, code, param, message, retryAfter, headers, null);
        }

        ApiError(int status, String type, String code, String param, String message, Duration retryAfter) {
            this(status, type, code, param, message, retryAfter, Map.of());
        }
    }

    /**
     * Sent with an upstream's 429, 5xx or timeout, which reach the client only once the gateway's own retry policy
     * has given up on them: the OpenAI and Anthropic SDKs would otherwise retry each twice more, on top of it.
     */
    static final Map<String, String> NO_CLIENT_RETRY = Map.of("x-should-retry", "false");

    private ErrorResponses() {}

    static Throwable unwrap(Throwable t) {
        return Failures.cause(t);
    }

    static ApiError toApiError(Throwable failure) {
        Throwable t = unwrap(failure);
        ApiError error = apiError(t);
        if (t instanceof SluiceException s && s.upstreamRequestId().isPresent()) {
            Map<String, String> headers = new java.util.HashMap<>(error.headers());
            headers.put("x-upstream-request-id", s.upstreamRequestId().get());
            return new ApiError(error.status(), error.type(), error.code(), error.param(), error.message(), error.retryAfter(), Map.copyOf(headers),
                    error.internal());
        }
        return error;
    }

    private static ApiError apiError(Throwable t) {
        return switch (t) {
            case InvalidRequestException e -> new ApiError(400, "invalid_request_error", e.code(), e.param(), e.getMessage(), null);
            case UnsupportedFeatureException e -> new ApiError(400, "invalid_request_error", e.code(), e.param(), e.getMessage(), null);
            case ContextLengthExceededException e -> new ApiError(400, "invalid_request_error", e.code(), "messages", e.getMessage(), null);
            case ModelNotFoundException e -> new ApiError(404, "invalid_request_error", e.code(), "model", e.getMessage(), null);
            case io.sluice.domain.error.ItemNotFoundException e -> new ApiError(404, "invalid_request_error", e.code(), null, e.getMessage(), null);
            case io.sluice.domain.error.FileNotFoundException e -> new ApiError(404, "invalid_request_error", e.code(), null, e.getMessage(), null);
            case io.sluice.domain.error.BatchNotFoundException e -> new ApiError(404, "invalid_request_error", e.code(), null, e.getMessage(), null);
            case io.sluice.domain.error.ResponseNotFoundException e -> new ApiError(404, "invalid_request_error", e.code(), null, e.getMessage(), null);
            case ConversationNotFoundException e -> new ApiError(404, "invalid_request_error", e.code(), null, e.getMessage(), null);
            case RouteNotFoundException e -> new ApiError(404, "invalid_request_error", e.code(), null, e.getMessage(), null);
            case io.sluice.domain.error.KeyNotFoundException e -> new ApiError(404, "invalid_request_error", e.code(), null, e.getMessage(), null);
            case io.sluice.domain.error.EndpointNotFoundException e -> new ApiError(404, "invalid_request_error", e.code(), null, e.getMessage(), null);
            case io.sluice.domain.error.ConcurrentChangeException e -> new ApiError(409, "invalid_request_error", e.code(), null, e.getMessage(), null);
            case UpstreamRejectedException e -> new ApiError(e.status(), "invalid_request_error", e.code(), e.param(), e.getMessage(), null);
            // OpenAI's types only: its SDKs and frameworks sort errors by status and type, and know no others
            case UpstreamAuthenticationException e -> new ApiError(502, "server_error", e.code(), null, e.getMessage(), null);
            case io.sluice.domain.budget.BudgetExceededException e -> new ApiError(402, "budget_exceeded", e.code(), null, e.getMessage(), null);
            case RateLimitExceededException e -> new ApiError(429, "rate_limit_error", e.code(), null, e.getMessage(), e.retryAfter().orElse(null),
                    rateLimitHeaders(e.decision()));
            case UpstreamRateLimitedException e -> new ApiError(429, "rate_limit_error", e.code(), null, e.getMessage(), e.retryAfter().orElse(null),
                    NO_CLIENT_RETRY);
            case UpstreamTimeoutException e -> new ApiError(504, "server_error", e.code(), null, e.getMessage(), null, NO_CLIENT_RETRY);
            case UpstreamUnavailableException e -> new ApiError(e.status() == 503 ? 503 : 502, "server_error", e.code(), null,
                    e.getMessage(), e.retryAfter().orElse(null), NO_CLIENT_RETRY);
            case io.sluice.domain.error.StorageUnavailableException e -> new ApiError(503, "server_error", e.code(), null, e.getMessage(),
                    e.retryAfter().orElse(null));
            case io.sluice.domain.error.GatewayOverloadedException e -> new ApiError(503, "server_error", e.code(), null, e.getMessage(),
                    e.retryAfter().orElse(null));
            case io.sluice.domain.budget.BudgetsUnavailableException e -> new ApiError(503, "server_error", e.code(), null, e.getMessage(),
                    e.retryAfter().orElse(null));
            case RetriableException e -> new ApiError(503, "server_error", e.code(), null, e.getMessage(), e.retryAfter().orElse(null),
                    NO_CLIENT_RETRY);
            case SluiceException e -> new ApiError(400, "invalid_request_error", e.code(), null, e.getMessage(), null);
            default -> new ApiError(500, "server_error", "internal_error", null, "The gateway had an internal error.", null, Map.of(), t);
        };
    }

    static void send(HttpServerResponse response, OpenAiJson json, ApiError error) {
        send(response, error, () -> json.writeError(error.message(), error.type(), error.param(), error.code()));
    }

    /** Answers {@code error} in the shape of the API the request came in on ({@link ChatApi#of}), OpenAI's by default. */
    static void send(io.vertx.ext.web.RoutingContext ctx, OpenAiJson json, ApiError error) {
        ChatApi.of(ctx).ifPresentOrElse(api -> api.sendError(ctx.response(), error), () -> send(ctx.response(), json, error));
    }

    /** Answers {@code error} with {@code body}, its status, Retry-After and headers; a 500's cause is logged, never sent. */
    static void send(HttpServerResponse response, ApiError error, java.util.function.Supplier<byte[]> body) {
        if (error.internal() != null) {
            LOG.log(System.Logger.Level.ERROR, "internal error in request " + response.headers().get(RequestIds.HEADER) + ": "
                    + Failures.describe(error.internal()));
        }
        if (response.ended() || response.closed()) return;
        if (response.headWritten()) {
            response.end();
            return;
        }
        if (error.retryAfter() != null) {
            response.putHeader("retry-after", Long.toString(Math.max(1, (error.retryAfter().toMillis() + 999) / 1000)));
        }
        error.headers().forEach(response::putHeader);
        response.setStatusCode(error.status())
                .putHeader("content-type", "application/json")
                .end(io.vertx.core.buffer.Buffer.buffer(body.get()));
    }

    /** OpenAI's x-ratelimit-* headers for the limit a call did not fit: its size, what is left, when it resets. */
    static Map<String, String> rateLimitHeaders(LimitDecision d) {
        String kind = d.limit().kind().header();
        return Map.of("x-ratelimit-limit-" + kind, Long.toString(d.limit().perMinute()),
                "x-ratelimit-remaining-" + kind, Long.toString(d.remaining()),
                "x-ratelimit-reset-" + kind, Math.max(1, (d.reset().toMillis() + 999) / 1000) + "s");
    }
}
