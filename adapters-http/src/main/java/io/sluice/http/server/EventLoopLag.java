package io.sluice.http.server;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How far behind one event loop has fallen: a timer asks to run every 20 ms and notes how late it ran. Written and read
 * on that event loop only. The loop counts as behind by the smaller lateness of the timer's last two runs: a gateway
 * past what its cores can do (or starved of them) runs its timer late again and again, while a single stall (a
 * collection pause, the classes loaded for the first request) delays one run and is over.
 */
final class EventLoopLag {
    private static final String KEY = EventLoopLag.class.getName();
    private static final long TICK_MILLIS = 20;

    private long dueAt;
    private long lastLate;
    private long lateBefore;
    /** Whether calls on this loop are being refused: set and read by the {@link LoadShedder}, to log once an episode. */
    boolean shedding;

    private EventLoopLag() {}

    /** Starts watching the event loop of {@code context}; call on that context. */
    static void watch(Vertx vertx, Context context) {
        EventLoopLag lag = new EventLoopLag();
        context.put(KEY, lag);
        lag.arm(vertx);
    }

    /** The watcher of the event loop this runs on, or null where none was started. */
    static EventLoopLag current() {
        Context context = Vertx.currentContext();
        return context == null ? null : context.get(KEY);
    }

    // re-armed after each run rather than periodic: a periodic timer that fell behind runs again at once to catch up,
    // which would wipe out the lateness it had just measured
    private void arm(Vertx vertx) {
        dueAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
        vertx.setTimer(TICK_MILLIS, id -> {
            lateBefore = lastLate;
            lastLate = System.nanoTime() - dueAt;
            arm(vertx);
        });
    }

    /** How far behind the loop has been over the timer's last two runs. */
    Duration behind() {
        return Duration.ofNanos(Math.max(0, Math.min(lastLate, lateBefore)));
    }
}
