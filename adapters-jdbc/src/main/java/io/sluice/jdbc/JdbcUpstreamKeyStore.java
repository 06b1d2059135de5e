package io.sluice.jdbc;

import io.sluice.ports.out.UpstreamKeyStore;
import java.sql.Timestamp;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.jdbi.v3.core.Jdbi;

/** {@link UpstreamKeyStore} on JDBI, for PostgreSQL and H2 alike; it stores what it is given, sealed. Thread-safe. */
final class JdbcUpstreamKeyStore implements UpstreamKeyStore {
    private final Jdbi jdbi;
    private final StorageExecutor executor;

    JdbcUpstreamKeyStore(Jdbi jdbi, StorageExecutor executor) {
        this.jdbi = jdbi;
        this.executor = executor;
    }

    @Override
    public CompletionStage<Void> save(StoredKey key) {
        return executor.run(() -> jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO upstream_keys (endpoint, label, sealed, rpm, tpm, created_at) VALUES (:endpoint, :label, :sealed, :rpm, :tpm, :created)""")
                .bind("endpoint", key.endpoint()).bind("label", key.label()).bind("sealed", key.sealed()).bind("rpm", key.rpm()).bind("tpm", key.tpm())
                .bind("created", Timestamp.from(key.createdAt())).execute())).thenApply(rows -> null);
    }

    @Override
    public CompletionStage<Boolean> delete(String endpoint, String label) {
        return executor.run(() -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM upstream_keys WHERE endpoint = :endpoint AND label = :label")
                .bind("endpoint", endpoint).bind("label", label).execute() > 0));
    }

    @Override
    public CompletionStage<List<StoredKey>> all() {
        return executor.run(() -> jdbi.withHandle(h -> h.createQuery("SELECT endpoint, label, sealed, rpm, tpm, created_at FROM upstream_keys ORDER BY created_at, label")
                .map((rs, ctx) -> new StoredKey(rs.getString("endpoint"), rs.getString("label"), rs.getString("sealed"), rs.getInt("rpm"), rs.getLong("tpm"),
                        rs.getTimestamp("created_at").toInstant())).list()));
    }

    /** Its row is made first if need be; two replicas making it at once is a unique violation, and one more go counts. */
    @Override
    public CompletionStage<Void> enable(String endpoint, String label) {
        return executor.run(() -> {
            try {
                return count(endpoint, label);
            } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException raced) {
                return count(endpoint, label);
            }
        }).thenApply(rows -> null);
    }

    private int count(String endpoint, String label) {
        return jdbi.inTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO upstream_key_enables (endpoint, label, enables) SELECT :endpoint, :label, 0
                    WHERE NOT EXISTS (SELECT 1 FROM upstream_key_enables WHERE endpoint = :endpoint AND label = :label)""")
                    .bind("endpoint", endpoint).bind("label", label).execute();
            return h.createUpdate("UPDATE upstream_key_enables SET enables = enables + 1 WHERE endpoint = :endpoint AND label = :label")
                    .bind("endpoint", endpoint).bind("label", label).execute();
        });
    }

    @Override
    public CompletionStage<List<Enabled>> enabled() {
        return executor.run(() -> jdbi.withHandle(h -> h.createQuery("SELECT endpoint, label, enables FROM upstream_key_enables")
                .map((rs, ctx) -> new Enabled(rs.getString("endpoint"), rs.getString("label"), rs.getLong("enables"))).list()));
    }
}
