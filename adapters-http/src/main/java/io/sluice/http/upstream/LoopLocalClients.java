package io.sluice.http.upstream;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One pooled HTTP client for each event-loop thread that calls an upstream, so that a call stays on the thread it
 * came in on.
 *
 * <p>Why: a Vert.x client's pool hands any caller any idle connection, and a connection belongs to the event loop
 * that opened it. With a shared pool a listener's call was written, and its answer read, on another loop, and each of
 * those hand-offs queued a task there and woke its selector (12.7% of a stateless call's CPU samples were that
 * wake-up alone). A connection opened by a loop's own pool is opened on that loop ({@code PoolOptions}' default event-loop
 * size 0: the caller's), so every later call on it runs where it started.
 *
 * <p>Callers off an event loop (a JDBC worker, a batch, a test's thread) share one more pool. The loops are the
 * gateway's listeners, one a core, so the number of pools is bounded.
 */
final class LoopLocalClients implements AutoCloseable {
    private final Vertx vertx;
    private final Supplier<HttpClientAgent> create;
    private final HttpClientAgent offLoop;
    private final Map<Thread, HttpClientAgent> onLoop = new ConcurrentHashMap<>();
    /** Once closed, no loop makes a new pool: calls go to the closed shared one and fail as on a closed client. */
    private volatile boolean closed;

    /** {@code offLoop}: the pool shared off the loops; {@code create} makes one for each event-loop thread that calls. */
    LoopLocalClients(Vertx vertx, HttpClientAgent offLoop, Supplier<HttpClientAgent> create) {
        this.vertx = vertx;
        this.create = create;
        this.offLoop = offLoop;
    }

    /** The pool of the calling thread's event loop, or the shared one off any loop of this Vert.x. */
    HttpClientAgent current() {
        Context context = Vertx.currentContext();
        if (closed || !Context.isOnEventLoopThread() || context == null || context.owner() != vertx) return offLoop;
        return onLoop.computeIfAbsent(Thread.currentThread(), thread -> create.get());
    }

    @Override
    public void close() {
        closed = true;
        Set<HttpClientAgent> all = Collections.newSetFromMap(new IdentityHashMap<>());
        all.add(offLoop);
        all.addAll(onLoop.values());
        onLoop.clear();
        all.forEach(HttpClientAgent::close);
    }
}
