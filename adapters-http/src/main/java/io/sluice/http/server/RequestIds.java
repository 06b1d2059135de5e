package io.sluice.http.server;

import io.sluice.ports.in.ChatCall;
import io.vertx.ext.web.RoutingContext;

/**
 * Every answer carries {@code x-request-id}, as OpenAI's do: the id a client quotes to an operator, and the one a
 * chat call's bill and log lines are written under.
 */
final class RequestIds {
    static final String HEADER = "x-request-id";
    private static final String KEY = "sluice.requestId";

    private RequestIds() {}

    /** Gives the request its id, in the context and in the answer's headers. */
    static void assign(RoutingContext ctx) {
        String id = ChatCall.newRequestId();
        ctx.put(KEY, id);
        ctx.response().putHeader(HEADER, id);
        ctx.next();
    }

    static String of(RoutingContext ctx) {
        return ctx.get(KEY);
    }
}
