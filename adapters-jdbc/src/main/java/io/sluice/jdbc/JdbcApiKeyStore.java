package io.sluice.jdbc;

import io.sluice.domain.keys.ApiKey;
import io.sluice.ports.out.ApiKeyStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/** {@link ApiKeyStore} on JDBI, for PostgreSQL and H2 alike. Thread-safe. */
final class JdbcApiKeyStore implements ApiKeyStore {
    private static final String SELECT = "SELECT id, owner, name, created_at, revoked_at FROM api_keys";

    private final Jdbi jdbi;
    private final Executor executor;

    JdbcApiKeyStore(Jdbi jdbi, Executor executor) {
        this.jdbi = jdbi;
        this.executor = executor;
    }

    @Override
    public CompletionStage<Void> create(ApiKey key, String secretHash) {
        return async(() -> jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO api_keys (id, secret_hash, owner, name, created_at) VALUES (:id, :hash, :owner, :name, :created)""")
                .bind("id", key.id()).bind("hash", secretHash).bind("owner", key.owner()).bind("name", key.name())
                .bind("created", Timestamp.from(key.createdAt())).execute())).thenApply(rows -> null);
    }

    @Override
    public CompletionStage<Optional<ApiKey>> findByHash(String secretHash) {
        return async(() -> jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE secret_hash = :hash").bind("hash", secretHash)
                .map((rs, ctx) -> key(rs)).findOne()));
    }

    @Override
    public CompletionStage<List<ApiKey>> list() {
        return async(() -> jdbi.withHandle(h -> h.createQuery(SELECT + " ORDER BY created_at, id").map((rs, ctx) -> key(rs)).list()));
    }

    @Override
    public CompletionStage<Boolean> revoke(String id, Instant at) {
        return async(() -> jdbi.withHandle(h -> {
            h.createUpdate("UPDATE api_keys SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL")
                    .bind("at", Timestamp.from(at)).bind("id", id).execute();
            return h.createQuery("SELECT COUNT(*) FROM api_keys WHERE id = :id").bind("id", id).mapTo(Long.class).one() > 0;
        }));
    }

    private static ApiKey key(ResultSet rs) throws SQLException {
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new ApiKey(rs.getString("id"), rs.getString("owner"), rs.getString("name"), rs.getTimestamp("created_at").toInstant(),
                Optional.ofNullable(revoked).map(Timestamp::toInstant));
    }

    private <T> CompletionStage<T> async(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, executor);
    }
}
