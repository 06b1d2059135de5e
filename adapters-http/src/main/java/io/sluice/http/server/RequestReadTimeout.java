package io.sluice.http.server;

import io.sluice.http.openai.OpenAiJson;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * Bounds how long a client may take to send a request's body after its head: one that trickles a body (a byte every
 * few seconds keeps a connection from ever being idle) would otherwise hold the connection and its buffer for as long
 * as it likes. A head that never completes is left to the idle timeout: Vert.x creates a connection, and so lets us
 * time it, only once the first head has arrived.
 */
final class RequestReadTimeout {
    private final Vertx vertx;
    private final long millis;
    private final OpenAiJson json;

    RequestReadTimeout(Vertx vertx, Duration timeout, OpenAiJson json) {
        this.vertx = vertx;
        this.millis = timeout.toMillis();
        this.json = json;
    }

    /** A request head arrived: unless its body is already read, it has {@code timeout} to arrive. */
    void headRead(RoutingContext ctx) {
        if (!ctx.request().isEnded()) {
            long timer = vertx.setTimer(millis, id -> {
                if (ctx.request().isEnded() || ctx.response().ended() || ctx.response().closed()) return;
                if (ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) ctx.response().putHeader("connection", "close");
                ErrorResponses.send(ctx.response(), json, new ErrorResponses.ApiError(408, "invalid_request_error", "request_timeout", null,
                        "The request body did not arrive within " + millis + " ms.", null));
                if (ctx.request().connection() != null) ctx.request().connection().close();
            });
            ctx.addEndHandler(v -> vertx.cancelTimer(timer));
        }
        ctx.next();
    }
}
