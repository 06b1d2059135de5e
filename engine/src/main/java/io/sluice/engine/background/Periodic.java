package io.sluice.engine.background;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Background work run every so often on a daemon thread of its own, one run at a time; a run that fails is logged (once
 * until a run succeeds again), and the next one runs.
 */
public final class Periodic {
    private static final System.Logger LOG = System.getLogger(Periodic.class.getName());

    private Periodic() {}

    /**
     * Runs {@code task} every {@code interval} (first after one interval), waiting for each run's stage, at most the
     * interval plus 30 s. Returns what stops it.
     */
    public static Runnable every(String name, Duration interval, Supplier<? extends CompletionStage<?>> task) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-" + name);
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();
        timer.scheduleWithFixedDelay(() -> {
            try {
                task.get().toCompletableFuture().get(interval.toMillis() + 30_000, TimeUnit.MILLISECONDS);
                if (failing.compareAndSet(true, false)) LOG.log(System.Logger.Level.INFO, name + " works again");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // once, not at every run of a task that runs four times a second while the database is away
                if (failing.compareAndSet(false, true)) {
                    LOG.log(System.Logger.Level.WARNING, name + " failed: " + io.sluice.domain.error.Failures.describe(e) + "; retried every "
                            + interval.toMillis() + " ms, logged again once it works");
                }
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }
}
