package io.sluice.testkit.simulator;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/** The simulator's failure answers, in each dialect's shapes: injected faults, rate limits and error bodies. */
final class FaultResponses {
    private FaultResponses() {}

    /** Answers a request with {@code fault}; a stream cut is injected while streaming, not here. */
    static void inject(RoutingContext ctx, Fault fault, SimulatorConfig cfg, Dialect dialect) {
        HttpServerResponse response = ctx.response();
        switch (fault) {
            case RATE_LIMIT -> rateLimited(response, cfg.retryAfter(), Math.max(cfg.rpmPerKey(), 1), 0, dialect);
            case SERVER_ERROR -> error(response, 500, "The server had an error while processing your request.", null, dialect);
            case BAD_GATEWAY -> error(response, 502, "Bad gateway.", null, dialect);
            case UNAVAILABLE -> {
                response.putHeader("retry-after", Long.toString(cfg.retryAfter().toSeconds()));
                error(response, dialect.overloadedStatus(), "The engine is currently overloaded, please try again later.", null, dialect);
            }
            case BAD_REQUEST -> error(response, 400, "Invalid 'messages': simulated bad request.", "messages", dialect);
            case UNAUTHORIZED -> error(response, 401, "Incorrect API key provided.", null, dialect);
            case MODEL_FORBIDDEN -> error(response, 403, "Project `proj_sim` does not have access to model `"
                    + ctx.body().asJsonObject().getString("model", "?") + "`", null, dialect);
            case HANG -> { } // never answer: the client's timeout must fire
            case RESET -> ctx.request().connection().close();
            case STREAM_CUT -> throw new IllegalStateException("a stream cut is injected while streaming");
        }
    }

    static void rateLimited(HttpServerResponse response, Duration retryAfter, int limit, int remaining, Dialect dialect) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        response.putHeader("retry-after", Long.toString(seconds))
                .putHeader("x-ratelimit-limit-requests", Integer.toString(limit))
                .putHeader("x-ratelimit-remaining-requests", Integer.toString(remaining))
                .putHeader("x-ratelimit-reset-requests", seconds + "s");
        error(response, 429, "Rate limit reached for requests. Please try again in " + seconds + "s.", null, dialect);
    }

    /** The headers of a key's requests-per-minute limit on an answer: OpenAI's, or Anthropic's with the reset as a time. */
    static void quota(HttpServerResponse response, int limit, int remaining, Duration reset, Dialect dialect) {
        if (dialect instanceof AnthropicDialect) {
            response.putHeader("anthropic-ratelimit-requests-limit", Integer.toString(limit))
                    .putHeader("anthropic-ratelimit-requests-remaining", Integer.toString(remaining))
                    .putHeader("anthropic-ratelimit-requests-reset", java.time.Instant.now().plus(reset).toString());
        } else {
            response.putHeader("x-ratelimit-limit-requests", Integer.toString(limit))
                    .putHeader("x-ratelimit-remaining-requests", Integer.toString(remaining))
                    .putHeader("x-ratelimit-reset-requests", Math.max(1, (reset.toMillis() + 999) / 1000) + "s");
        }
    }

    static void error(HttpServerResponse response, int status, String message, String param, Dialect dialect) {
        response.setStatusCode(status).putHeader("content-type", "application/json").end(dialect.error(status, message, param).toString());
    }
}
