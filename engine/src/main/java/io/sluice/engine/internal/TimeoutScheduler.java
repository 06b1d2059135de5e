package io.sluice.engine.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The engine's timeouts and delays, on one timer thread of its own. Not {@code CompletableFuture.orTimeout} and
 * {@code delayedExecutor}: since JDK 25 they go through the common pool's {@code DelayScheduler}, which unparks its
 * thread for every timeout set and again for every one cancelled, two thread wake-ups for each call (in a wall-clock
 * profile at 1,000 calls/s, a quarter of the event loops' busy time was spent in that {@code pthread_cond_signal}).
 * A {@link ScheduledThreadPoolExecutor} wakes its thread only when a new timeout is the earliest one pending, which a
 * call's deadline rarely is (the calls before it, with deadlines as long, expire first), and a cancelled timeout
 * leaves its queue without waking it.
 */
public final class TimeoutScheduler {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private TimeoutScheduler() {}

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "sluice-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true); // a call that completes in time takes its timeout out of the queue
        return timer;
    }

    /**
     * Fails {@code future} with a {@link TimeoutException} if it has not completed within {@code millis}, as
     * {@code orTimeout} does; the timeout is dropped as soon as the future completes.
     */
    public static <T> CompletableFuture<T> within(CompletableFuture<T> future, long millis) {
        if (future.isDone()) return future;
        ScheduledFuture<?> timeout = TIMER.schedule(() -> future.completeExceptionally(new TimeoutException()), millis, TimeUnit.MILLISECONDS);
        future.whenComplete((value, error) -> timeout.cancel(false));
        return future;
    }

    /** How many timeouts and delays are pending: those of calls that completed in time are not. */
    static int pending() {
        return TIMER.getQueue().size();
    }

    /** Runs {@code task} on the common pool after {@code delay}, as {@code delayedExecutor} does; at once if it is not positive. */
    public static void later(Duration delay, Runnable task) {
        if (delay.isZero() || delay.isNegative()) task.run();
        else TIMER.schedule(() -> ForkJoinPool.commonPool().execute(task), delay.toNanos(), TimeUnit.NANOSECONDS);
    }
}
