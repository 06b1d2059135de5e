package io.sluice.jdbc;

import io.sluice.ports.out.LedgerMaintenance;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link LedgerMaintenance} on JDBI: the rollups ({@link LedgerRollups}) on both databases; months ({@link
 * LedgerPartitions}) on PostgreSQL, where retention drops whole months; on H2, one table, retention deletes rows.
 */
final class JdbcLedgerMaintenance implements LedgerMaintenance {
    /** Batches a {@link #rollUp} moves at most, so one run ends even while bills arrive faster than it moves them. */
    private static final int MAX_BATCHES = 20;

    private final Jdbi jdbi;
    private final StorageExecutor executor;
    private final boolean postgres;
    private final int rawDays;

    /** {@code rawDays}: the days raw rows are kept, 0 for ever. */
    JdbcLedgerMaintenance(Jdbi jdbi, StorageExecutor executor, boolean postgres, int rawDays) {
        if (rawDays < 0) throw new IllegalArgumentException("'rawDays' must be 0 or more, was " + rawDays);
        this.jdbi = jdbi;
        this.executor = executor;
        this.postgres = postgres;
        this.rawDays = rawDays;
    }

    @Override
    public CompletionStage<Integer> rollUp() {
        return executor.run(() -> {
            int moved = 0;
            for (int i = 0; i < MAX_BATCHES; i++) {
                int batch = jdbi.inTransaction(h -> LedgerRollups.moveBatch(h, postgres));
                moved += batch;
                if (batch < LedgerRollups.BATCH) break;
            }
            return moved;
        });
    }

    @Override
    public CompletionStage<String> maintain(Instant now) {
        LocalDate today = JdbcUsageLedger.local(now).toLocalDate();
        Optional<LocalDate> keepFrom = rawDays == 0 ? Optional.empty() : Optional.of(today.minusDays(rawDays));
        if (postgres) return executor.run(() -> LedgerPartitions.maintain(jdbi, today, keepFrom));
        return executor.run(() -> jdbi.inTransaction(h -> {
            if (keepFrom.isEmpty()) return "";
            int deleted = h.createUpdate("DELETE FROM usage_ledger WHERE created_at < :keep").bind("keep", keepFrom.get().atStartOfDay()).execute();
            return deleted == 0 ? "" : "ledger rows past retention deleted: " + deleted;
        }));
    }
}
