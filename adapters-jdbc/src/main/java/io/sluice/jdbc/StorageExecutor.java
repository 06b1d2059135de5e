package io.sluice.jdbc;

import io.sluice.domain.error.StorageUnavailableException;
import io.sluice.ports.out.StorageHealth;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Runs the stores' blocking JDBC work on the storage's threads, and knows whether the database is reachable. A
 * failure to reach it (no connection within the pool's timeout, a refused or dropped connection, the server shutting
 * down) marks it unavailable: from then on work fails at once with a {@link StorageUnavailableException}, instead of
 * each call waiting out the pool's timeout, and a probe tries a connection every {@link #PROBE_EVERY} until one
 * succeeds. Thread-safe.
 */
final class StorageExecutor implements StorageHealth, AutoCloseable {
    static final Duration PROBE_EVERY = Duration.ofMillis(500);
    private static final System.Logger LOG = System.getLogger(StorageExecutor.class.getName());

    private final ExecutorService work;
    private final DataSource dataSource;
    private final AtomicBoolean available = new AtomicBoolean(true);
    private final ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-jdbc-probe");
        t.setDaemon(true);
        return t;
    });

    StorageExecutor(ExecutorService work, DataSource dataSource) {
        this.work = work;
        this.dataSource = dataSource;
    }

    @Override
    public boolean available() {
        return available.get();
    }

    <T> CompletionStage<T> run(Supplier<T> task) {
        if (!available.get()) return CompletableFuture.failedFuture(new StorageUnavailableException(null));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return task.get();
            } catch (RuntimeException e) {
                if (!isUnreachable(e)) throw e;
                unreachable();
                throw new CompletionException(new StorageUnavailableException(e));
            }
        }, work);
    }

    private void unreachable() {
        if (available.compareAndSet(true, false)) {
            LOG.log(System.Logger.Level.ERROR, "the database is unreachable: calls that need it get 503 storage_unavailable until it is back");
            probe.schedule(this::probe, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void probe() {
        try (Connection c = dataSource.getConnection()) {
            if (c.isValid(1)) {
                available.set(true);
                LOG.log(System.Logger.Level.WARNING, "the database is reachable again");
                return;
            }
        } catch (SQLException | RuntimeException e) {
            // still down: tried again below
        }
        if (!probe.isShutdown()) probe.schedule(this::probe, PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether a failure says the database could not be reached, rather than that it refused a statement. */
    static boolean isUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof ConnectException) return true;
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) return true;
        }
        return false;
    }

    @Override
    public void close() {
        probe.shutdownNow();
        work.shutdown();
        try {
            work.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
