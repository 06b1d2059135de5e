package io.sluice.engine;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that count large prompts: half the cores (at least one), so that the event loops keep the rest, and a
 * short queue, so that a flood of megabyte prompts is refused rather than left to grow without bound.
 */
public final class PromptWorkers {
    /** Large prompts that may wait for a worker. */
    public static final int QUEUE = 64;
    private static final Executor SHARED = create(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), QUEUE);

    private PromptWorkers() {}

    /** The process's prompt workers (daemon threads). */
    public static Executor shared() {
        return SHARED;
    }

    /** {@code threads} workers and a queue of {@code queue}; past it, work is refused. */
    public static Executor create(int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "sluice-prompt-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    }
}
