package io.sluice.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.batch.Batch;
import io.sluice.domain.batch.BatchLineResult;
import io.sluice.domain.batch.BatchStatus;
import io.sluice.ports.out.BatchStore;
import io.sluice.ports.out.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * {@link BatchStore} on JDBI, for PostgreSQL and H2 alike. A batch's metadata and the times it reached each status are
 * JSON columns; its requests' results are rows of {@code batch_results}. Thread-safe.
 */
final class JdbcBatchStore implements BatchStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, owner, api_key_id, input_file_id, endpoint, completion_window, metadata, status, times, created_at,"
            + " expires_at, total, completed, failed, output_file_id, error_file_id, upstream_provider, upstream_id, reserved, failure";
    private static final String ENDED = "('completed', 'failed', 'expired', 'cancelled')";

    private final Jdbi jdbi;
    private final StorageExecutor executor;

    JdbcBatchStore(Jdbi jdbi, StorageExecutor executor) {
        this.jdbi = jdbi;
        this.executor = executor;
    }

    @Override
    public CompletionStage<Void> create(Batch b) {
        return executor.run(() -> jdbi.withHandle(h -> bind(h.createUpdate("INSERT INTO batches (" + COLUMNS + ") VALUES (:id, :owner, :key,"
                + " :input, :endpoint, :window, :metadata, :status, :times, :created, :expires, :total, :completed, :failed, :output, :error,"
                + " :provider, :upstream, :reserved, :failure)"), b).execute())).thenApply(rows -> null);
    }

    @Override
    public CompletionStage<Optional<Batch>> find(String owner, String id) {
        return executor.run(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM batches WHERE id = :id AND owner = :owner")
                .bind("id", id).bind("owner", owner).map((rs, ctx) -> batch(rs)).findOne()));
    }

    @Override
    public CompletionStage<Page<Batch>> list(String owner, String after, int limit) {
        return executor.run(() -> jdbi.withHandle(h -> {
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM batches WHERE owner = :owner");
            if (after != null) sql.append(" AND (created_at, id) < (SELECT created_at, id FROM batches WHERE id = :after AND owner = :owner)");
            sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
            var query = h.createQuery(sql.toString()).bind("owner", owner).bind("limit", limit + 1);
            if (after != null) query.bind("after", after);
            List<Batch> rows = query.map((rs, ctx) -> batch(rs)).list();
            return new Page<>(rows.size() > limit ? rows.subList(0, limit) : rows, rows.size() > limit);
        }));
    }

    @Override
    public CompletionStage<Boolean> update(Batch b, BatchStatus expected) {
        return executor.run(() -> jdbi.withHandle(h -> bind(h.createUpdate("""
                        UPDATE batches SET status = :status, times = :times, total = :total, completed = :completed, failed = :failed,
                            output_file_id = :output, error_file_id = :error, upstream_provider = :provider, upstream_id = :upstream,
                            failure = :failure
                        WHERE id = :id AND status = :expected"""), b).bind("expected", expected.wire()).execute() > 0));
    }

    @Override
    public CompletionStage<List<Batch>> unfinished() {
        return executor.run(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM batches WHERE status NOT IN " + ENDED
                + " ORDER BY created_at").map((rs, ctx) -> batch(rs)).list()));
    }

    @Override
    public CompletionStage<Void> saveResults(String batchId, List<BatchLineResult> results) {
        if (results.isEmpty()) return java.util.concurrent.CompletableFuture.completedFuture(null);
        return executor.run(() -> jdbi.inTransaction(h -> {
            var batch = h.prepareBatch("""
                    INSERT INTO batch_results (batch_id, line, custom_id, ok, body)
                    SELECT :batch, :line, :custom, :ok, :body
                    WHERE NOT EXISTS (SELECT 1 FROM batch_results WHERE batch_id = :batch AND line = :line)""");
            for (BatchLineResult r : results) {
                batch.bind("batch", batchId).bind("line", r.index()).bind("custom", r.customId()).bind("ok", r.ok()).bind("body", r.line()).add();
            }
            return batch.execute();
        })).thenApply(rows -> null);
    }

    @Override
    public CompletionStage<List<BatchLineResult>> results(String batchId) {
        return executor.run(() -> jdbi.withHandle(h -> h.createQuery("SELECT line, custom_id, ok, body FROM batch_results WHERE batch_id = :batch ORDER BY line")
                .bind("batch", batchId).map((rs, ctx) -> new BatchLineResult(rs.getInt("line"), rs.getString("custom_id"), rs.getBoolean("ok"),
                        rs.getString("body"))).list()));
    }

    @Override
    public CompletionStage<Void> dropResults(String batchId) {
        return executor.run(() -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM batch_results WHERE batch_id = :batch").bind("batch", batchId)
                .execute())).thenApply(rows -> null);
    }

    @Override
    public CompletionStage<Boolean> lease(String batchId, String holder, Instant now, Instant until) {
        return executor.run(() -> jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE batches SET leased_by = :holder, leased_until = :until
                        WHERE id = :id AND (leased_by IS NULL OR leased_by = :holder OR leased_until < :now)""")
                .bind("holder", holder).bind("until", Timestamp.from(until)).bind("id", batchId).bind("now", Timestamp.from(now)).execute() > 0));
    }

    private static <S extends SqlStatement<S>> S bind(S statement, Batch b) {
        return statement.bind("id", b.id()).bind("owner", b.owner()).bind("key", b.apiKeyId()).bind("input", b.inputFileId())
                .bind("endpoint", b.endpoint()).bind("window", b.completionWindow()).bind("metadata", json(b.metadata()))
                .bind("status", b.status().wire()).bind("times", json(times(b.times()))).bind("created", Timestamp.from(b.createdAt()))
                .bind("expires", Timestamp.from(b.expiresAt())).bind("total", b.counts().total()).bind("completed", b.counts().completed())
                .bind("failed", b.counts().failed()).bind("output", b.outputFileId()).bind("error", b.errorFileId())
                .bind("provider", b.upstreamProvider()).bind("upstream", b.upstreamId()).bind("reserved", b.reserved()).bind("failure", b.failure());
    }

    private static Map<String, Long> times(Map<BatchStatus, Instant> times) {
        Map<String, Long> out = new LinkedHashMap<>();
        times.forEach((s, at) -> out.put(s.wire(), at.toEpochMilli()));
        return out;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Batch batch(ResultSet rs) throws SQLException {
        try {
            Map<String, String> metadata = JSON.readValue(rs.getString("metadata"), new TypeReference<LinkedHashMap<String, String>>() {});
            Map<String, Long> at = JSON.readValue(rs.getString("times"), new TypeReference<LinkedHashMap<String, Long>>() {});
            Map<BatchStatus, Instant> times = new EnumMap<>(BatchStatus.class);
            at.forEach((s, millis) -> times.put(BatchStatus.valueOf(s.toUpperCase(java.util.Locale.ROOT)), Instant.ofEpochMilli(millis)));
            return new Batch(rs.getString("id"), rs.getString("owner"), rs.getString("api_key_id"), rs.getString("input_file_id"),
                    rs.getString("endpoint"), rs.getString("completion_window"), metadata,
                    BatchStatus.valueOf(rs.getString("status").toUpperCase(java.util.Locale.ROOT)), times, rs.getTimestamp("created_at").toInstant(),
                    rs.getTimestamp("expires_at").toInstant(), new Batch.Counts(rs.getInt("total"), rs.getInt("completed"), rs.getInt("failed")),
                    rs.getString("output_file_id"), rs.getString("error_file_id"), rs.getString("upstream_provider"), rs.getString("upstream_id"),
                    rs.getBigDecimal("reserved"), rs.getString("failure"));
        } catch (JsonProcessingException e) {
            throw new SQLException("a batch's metadata or times column is not JSON", e);
        }
    }
}
