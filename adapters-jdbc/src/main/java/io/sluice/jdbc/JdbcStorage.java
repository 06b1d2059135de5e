package io.sluice.jdbc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.UsageLedger;
import io.sluice.ports.out.ApiKeyStore;
import io.sluice.ports.out.BudgetStore;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The relational storage of the gateway: one connection pool, migrated by Flyway on open, and one executor that
 * runs the blocking JDBC calls so that no caller (and no event loop) ever blocks. Close it to release both.
 */
public final class JdbcStorage implements AutoCloseable {
    /** How long a call waits for a connection before the database counts as unreachable. */
    static final java.time.Duration CONNECTION_TIMEOUT = java.time.Duration.ofSeconds(2);

    private final HikariDataSource dataSource;
    private final StorageExecutor executor;
    private final Jdbi jdbi;
    private final boolean postgres;

    private JdbcStorage(HikariDataSource dataSource, ExecutorService executor, StorageSettings.Dialect dialect) {
        this.dataSource = dataSource;
        this.executor = new StorageExecutor(executor, dataSource);
        this.jdbi = Jdbi.create(dataSource);
        this.postgres = dialect == StorageSettings.Dialect.POSTGRESQL;
    }

    /** Connects, applies pending migrations, and fails fast when the database cannot be reached. */
    public static JdbcStorage open(StorageSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setPoolName("sluice-jdbc");
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(dataSource).locations(settings.dialect().migrations()).load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(settings.poolSize(), r -> {
            Thread t = new Thread(r, "sluice-jdbc-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return new JdbcStorage(dataSource, executor, settings.dialect());
    }

    public ConversationStore conversations(ObjectMapper json) {
        return new JdbcConversationStore(jdbi, executor, json, postgres);
    }

    public BudgetStore budgets() {
        return new JdbcBudgetStore(jdbi, executor);
    }

    public ApiKeyStore apiKeys() {
        return new JdbcApiKeyStore(jdbi, executor);
    }

    public io.sluice.ports.out.FileStore files() {
        return new JdbcFileStore(jdbi, executor);
    }

    public io.sluice.ports.out.BatchStore batches() {
        return new JdbcBatchStore(jdbi, executor);
    }

    public io.sluice.ports.out.RouteWeightStore routeWeights() {
        return new JdbcRouteWeightStore(jdbi, executor);
    }

    public io.sluice.ports.out.UpstreamKeyStore upstreamKeys() {
        return new JdbcUpstreamKeyStore(jdbi, executor);
    }

    public io.sluice.ports.out.ErasureStore erasure() {
        return new JdbcErasureStore(jdbi, executor, postgres);
    }

    public UsageLedger usageLedger() {
        return usageLedger(0);
    }

    /** The ledger whose raw rows are kept {@code rawDays} (0: for ever), as {@link #ledgerMaintenance} keeps them. */
    public UsageLedger usageLedger(int rawDays) {
        return new JdbcUsageLedger(jdbi, executor, postgres, java.time.Clock.systemUTC(), rawDays);
    }

    /** The ledger's rollups, months and retention; {@code rawDays} the days raw rows are kept (0: for ever). */
    public io.sluice.ports.out.LedgerMaintenance ledgerMaintenance(int rawDays) {
        return new JdbcLedgerMaintenance(jdbi, executor, postgres, rawDays);
    }

    /** For this module's tests: SQL on the storage's own pool. */
    Jdbi jdbi() {
        return jdbi;
    }

    /** Whether the database is reachable, as the stores last saw it. */
    public io.sluice.ports.out.StorageHealth health() {
        return executor;
    }

    @Override
    public void close() {
        executor.close();
        dataSource.close();
    }
}
