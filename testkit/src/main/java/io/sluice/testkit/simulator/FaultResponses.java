package io.sluice.testkit.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/** The simulator's failure answers, in OpenAI's shapes: injected faults, rate limits and error bodies. */
final class FaultResponses {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FaultResponses() {}

    /** Answers a request with {@code fault}; a stream cut is injected while streaming, not here. */
    static void inject(RoutingContext ctx, Fault fault, SimulatorConfig cfg) {
        HttpServerResponse response = ctx.response();
        switch (fault) {
            case RATE_LIMIT -> rateLimited(response, cfg.retryAfter(), Math.max(cfg.rpmPerKey(), 1), 0);
            case SERVER_ERROR -> error(response, 500, "server_error", "The server had an error while processing your request.", null);
            case BAD_GATEWAY -> error(response, 502, "server_error", "Bad gateway.", null);
            case UNAVAILABLE -> {
                response.putHeader("retry-after", Long.toString(cfg.retryAfter().toSeconds()));
                error(response, 503, "server_error", "The engine is currently overloaded, please try again later.", null);
            }
            case BAD_REQUEST -> error(response, 400, "invalid_request_error", "Invalid 'messages': simulated bad request.", "messages");
            case UNAUTHORIZED -> error(response, 401, "invalid_request_error", "Incorrect API key provided.", null);
            case HANG -> { } // never answer: the client's timeout must fire
            case RESET -> ctx.request().connection().close();
            case STREAM_CUT -> throw new IllegalStateException("a stream cut is injected while streaming");
        }
    }

    static void rateLimited(HttpServerResponse response, Duration retryAfter, int limit, int remaining) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        response.putHeader("retry-after", Long.toString(seconds))
                .putHeader("x-ratelimit-limit-requests", Integer.toString(limit))
                .putHeader("x-ratelimit-remaining-requests", Integer.toString(remaining))
                .putHeader("x-ratelimit-reset-requests", seconds + "s");
        error(response, 429, "requests", "Rate limit reached for requests. Please try again in " + seconds + "s.", null);
    }

    static void error(HttpServerResponse response, int status, String type, String message, String param) {
        ObjectNode error = JSON.createObjectNode();
        ObjectNode inner = error.putObject("error");
        inner.put("message", message).put("type", type);
        inner.put("param", param);
        inner.put("code", status == 429 ? "rate_limit_exceeded" : null);
        response.setStatusCode(status).putHeader("content-type", "application/json").end(error.toString());
    }
}
