package io.sluice.jdbc;

import io.sluice.domain.files.StoredFile;
import io.sluice.ports.out.FileStore;
import io.sluice.ports.out.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.jdbi.v3.core.Jdbi;

/** {@link FileStore} on JDBI, for PostgreSQL and H2 alike; a file's content is a column of its row. Thread-safe. */
final class JdbcFileStore implements FileStore {
    private static final String COLUMNS = "id, owner, purpose, filename, bytes, created_at";

    private final Jdbi jdbi;
    private final StorageExecutor executor;

    JdbcFileStore(Jdbi jdbi, StorageExecutor executor) {
        this.jdbi = jdbi;
        this.executor = executor;
    }

    @Override
    public CompletionStage<Void> create(StoredFile file, byte[] content) {
        return executor.run(() -> jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO files (id, owner, purpose, filename, bytes, content, created_at)
                        VALUES (:id, :owner, :purpose, :filename, :bytes, :content, :created)""")
                .bind("id", file.id()).bind("owner", file.owner()).bind("purpose", file.purpose()).bind("filename", file.filename())
                .bind("bytes", file.bytes()).bind("content", content).bind("created", Timestamp.from(file.createdAt())).execute()))
                .thenApply(rows -> null);
    }

    @Override
    public CompletionStage<Optional<StoredFile>> find(String owner, String id) {
        return executor.run(() -> jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM files WHERE id = :id AND owner = :owner")
                .bind("id", id).bind("owner", owner).map((rs, ctx) -> file(rs)).findOne()));
    }

    @Override
    public CompletionStage<Optional<byte[]>> content(String owner, String id) {
        return executor.run(() -> jdbi.withHandle(h -> h.createQuery("SELECT content FROM files WHERE id = :id AND owner = :owner")
                .bind("id", id).bind("owner", owner).map((rs, ctx) -> rs.getBytes("content")).findOne()));
    }

    @Override
    public CompletionStage<Page<StoredFile>> list(String owner, String purpose, String after, int limit) {
        return executor.run(() -> jdbi.withHandle(h -> {
            StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM files WHERE owner = :owner");
            if (purpose != null) sql.append(" AND purpose = :purpose");
            // newest first; "after" a file: the ones older than it (ties on the time broken by id)
            if (after != null) sql.append(" AND (created_at, id) < (SELECT created_at, id FROM files WHERE id = :after AND owner = :owner)");
            sql.append(" ORDER BY created_at DESC, id DESC LIMIT :limit");
            var query = h.createQuery(sql.toString()).bind("owner", owner).bind("limit", limit + 1);
            if (purpose != null) query.bind("purpose", purpose);
            if (after != null) query.bind("after", after);
            List<StoredFile> rows = query.map((rs, ctx) -> file(rs)).list();
            return new Page<>(rows.size() > limit ? rows.subList(0, limit) : rows, rows.size() > limit);
        }));
    }

    @Override
    public CompletionStage<Boolean> delete(String owner, String id) {
        return executor.run(() -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM files WHERE id = :id AND owner = :owner")
                .bind("id", id).bind("owner", owner).execute() > 0));
    }

    private static StoredFile file(ResultSet rs) throws SQLException {
        return new StoredFile(rs.getString("id"), rs.getString("owner"), rs.getString("purpose"), rs.getString("filename"), rs.getLong("bytes"),
                rs.getTimestamp("created_at").toInstant());
    }
}
