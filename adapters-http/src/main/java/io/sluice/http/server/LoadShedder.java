package io.sluice.http.server;

import io.sluice.http.openai.OpenAiJson;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * Refuses new chat calls at once, with a 503 and {@code Retry-After}, while the event loop that reads them stays
 * further behind than {@code maxLag} ({@link EventLoopLag}). Past its capacity a gateway answers every call late;
 * the calls it holds run past their deadlines and their timeouts count against healthy upstreams, whose circuits then
 * open and refuse everything for their open time. Refusing the excess quickly, before its body is read, lets the calls
 * already taken finish in time. Lanes are shed in turn ({@link io.sluice.domain.limits.Priority}): {@code low} calls
 * once the loop is half {@code maxLag} behind, {@code normal} ones past {@code maxLag}, {@code high} ones only past
 * twice that. Runs after authentication, which is cached, so that a key's lane is known. Not installed when shedding
 * is off (a lag of zero).
 */
final class LoadShedder implements Handler<RoutingContext> {
    private static final System.Logger LOG = System.getLogger(LoadShedder.class.getName());
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final Duration maxLag;
    private final OpenAiJson json;
    private final GatewayMetrics metrics;

    LoadShedder(Duration maxLag, OpenAiJson json, GatewayMetrics metrics) {
        this.maxLag = maxLag;
        this.json = json;
        this.metrics = metrics;
    }

    /** How far behind the loop may be before calls of {@code lane} are refused. */
    private Duration limitFor(io.sluice.domain.limits.Priority lane) {
        return switch (lane) {
            case LOW -> maxLag.dividedBy(2);
            case NORMAL -> maxLag;
            case HIGH -> maxLag.multipliedBy(2);
        };
    }

    @Override
    public void handle(RoutingContext ctx) {
        EventLoopLag lag = EventLoopLag.current();
        Duration behind = lag == null ? Duration.ZERO : lag.behind();
        if (behind.compareTo(maxLag.dividedBy(2)) <= 0 || behind.compareTo(limitFor(Priorities.lenient(ctx))) <= 0) {
            if (lag != null && lag.shedding) {
                lag.shedding = false;
                LOG.log(System.Logger.Level.INFO, Thread.currentThread().getName() + " caught up: taking new chat calls again");
            }
            ctx.next();
            return;
        }
        if (!lag.shedding) {
            lag.shedding = true;
            LOG.log(System.Logger.Level.WARNING, Thread.currentThread().getName() + " is " + behind.toMillis() + " ms behind (limit "
                    + maxLag.toMillis() + " ms): refusing new chat calls with 503 until it catches up");
        }
        metrics.shed();
        ErrorResponses.send(ctx, json, new ErrorResponses.ApiError(503, "server_error", "gateway_overloaded", null,
                "The gateway is overloaded (" + behind.toMillis() + " ms behind); retry shortly.", RETRY_AFTER));
    }
}
