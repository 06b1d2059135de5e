package io.sluice.jdbc;

import io.sluice.domain.CounterNames;
import io.sluice.domain.ConversationId;
import io.sluice.ports.out.ErasureStore;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link ErasureStore} in the relational database. A conversation's messages and vectors go with its row (ON DELETE
 * CASCADE), its summary is in the row; its ledger entries and budget counters are changed in the same transaction.
 * Thread-safe.
 */
final class JdbcErasureStore implements ErasureStore {
    private final Jdbi jdbi;
    private final StorageExecutor executor;
    private final boolean postgres;

    JdbcErasureStore(Jdbi jdbi, StorageExecutor executor, boolean postgres) {
        this.jdbi = jdbi;
        this.executor = executor;
        this.postgres = postgres;
    }

    @Override
    public CompletionStage<Boolean> purgeConversation(ConversationId id, String owner) {
        return executor.run(() -> jdbi.inTransaction(h -> {
            boolean owned = h.createQuery("SELECT COUNT(*) FROM conversations WHERE id = :id AND owner = :owner")
                    .bind("id", id.value()).bind("owner", owner).mapTo(Long.class).one() > 0;
            if (owned) purge(h, List.of(id.value()), postgres);
            return owned;
        }));
    }

    @Override
    public CompletionStage<List<ConversationId>> purgeUserConversations(String owner, String user, int limit) {
        return executor.run(() -> jdbi.inTransaction(h -> purge(h, h.createQuery("""
                        SELECT id FROM conversations WHERE owner = :owner AND end_user = :user ORDER BY id FETCH FIRST :limit ROWS ONLY""")
                .bind("owner", owner).bind("user", user).bind("limit", limit).mapTo(String.class).list(), postgres)));
    }

    @Override
    public CompletionStage<Long> forgetUser(String owner, String user) {
        // after any rollup move in progress, and before the next; a bill committing meanwhile is unnamed in both its
        // ledger and its pending rows or in neither (one statement on PostgreSQL; on H2 no bill commits meanwhile,
        // LedgerRollups#billing): between two statements it was left named in the ledger but not in the rollups
        return executor.run(() -> LedgerRollups.excludingMoves(jdbi, postgres, h -> {
            long changed = postgres ? unnameInOneStatement(h, owner, user) : unnameInTwo(h, owner, user);
            h.createUpdate("DELETE FROM usage_daily_users WHERE owner = :owner AND end_user = :user").bind("owner", owner).bind("user", user).execute();
            h.createUpdate("DELETE FROM budget_counters WHERE counter LIKE :prefix ESCAPE '\\'")
                    .bind("prefix", likePrefix(CounterNames.periodsOf(CounterNames.user(owner, user)))).execute();
            return changed;
        }));
    }

    /** Unnames the user's bills in the ledger and in the pending rollup rows, one snapshot (PostgreSQL); returns the bills. */
    private static long unnameInOneStatement(Handle h, String owner, String user) {
        return h.createQuery("""
                        WITH unnamed AS (UPDATE usage_ledger SET end_user = NULL WHERE owner = :owner AND end_user = :user RETURNING 1),
                             pending AS (UPDATE usage_pending SET end_user = NULL WHERE owner = :owner AND end_user = :user)
                        SELECT COUNT(*) FROM unnamed""").bind("owner", owner).bind("user", user).mapTo(Long.class).one();
    }

    /** The same in two statements, for H2, where no bill commits between them ({@link LedgerRollups#billing}). */
    private static long unnameInTwo(Handle h, String owner, String user) {
        long changed = h.createUpdate("UPDATE usage_ledger SET end_user = NULL WHERE owner = :owner AND end_user = :user")
                .bind("owner", owner).bind("user", user).execute();
        h.createUpdate("UPDATE usage_pending SET end_user = NULL WHERE owner = :owner AND end_user = :user").bind("owner", owner)
                .bind("user", user).execute();
        return changed;
    }

    @Override
    public CompletionStage<List<ConversationId>> purgeIdleSince(Instant cutoff, Optional<String> owner, Set<String> excludedOwners, int limit) {
        return executor.run(() -> jdbi.inTransaction(h -> {
            // the day first: its index is the one a turn leaves alone (V28); updated_at then decides exactly
            StringBuilder sql = new StringBuilder("SELECT id FROM conversations WHERE active_on <= :cutoffDay AND updated_at < :cutoff");
            if (owner.isPresent()) sql.append(" AND owner = :owner");
            if (owner.isEmpty() && !excludedOwners.isEmpty()) sql.append(" AND owner NOT IN (<excluded>)");
            sql.append(" ORDER BY active_on, updated_at FETCH FIRST :limit ROWS ONLY");
            var query = h.createQuery(sql.toString()).bind("cutoff", Timestamp.from(cutoff))
                    .bind("cutoffDay", java.time.LocalDate.ofInstant(cutoff, java.time.ZoneOffset.UTC)).bind("limit", limit);
            owner.ifPresent(o -> query.bind("owner", o));
            if (owner.isEmpty() && !excludedOwners.isEmpty()) query.bindList("excluded", List.copyOf(excludedOwners));
            return purge(h, query.mapTo(String.class).list(), postgres);
        }));
    }

    /** Purges these conversations in the caller's transaction; returns them. */
    private static List<ConversationId> purge(Handle h, List<String> ids, boolean postgres) {
        if (ids.isEmpty()) return List.of();
        if (postgres) {
            h.createUpdate(POSTGRES_UNNAME).bindList("ids", ids).execute();
        } else {
            // the users' rollup gives these entries up with their end user: taken from the user, kept as calls without one
            String users = "usage_ledger WHERE conversation_id IN (<ids>) AND end_user IS NOT NULL";
            h.createUpdate(LedgerRows.pendingFrom(users, "-", "end_user")).bindList("ids", ids).execute();
            h.createUpdate(LedgerRows.pendingFrom(users, "", "NULL")).bindList("ids", ids).execute();
            h.createUpdate("UPDATE usage_ledger SET conversation_id = NULL, end_user = NULL WHERE conversation_id IN (<ids>)")
                    .bindList("ids", ids).execute();
        }
        for (String id : ids) {
            h.createUpdate("DELETE FROM budget_counters WHERE counter LIKE :prefix ESCAPE '\\'").bind("prefix", likePrefix(CounterNames.periodsOf(CounterNames.conversation(id))))
                    .execute();
        }
        h.createUpdate("DELETE FROM conversations WHERE id IN (<ids>)").bindList("ids", ids).execute();
        return ids.stream().map(ConversationId::new).toList();
    }

    /** {@code prefix}, its LIKE wildcards escaped, then {@code %}. */
    private static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /**
     * PostgreSQL: the conversations' entries unnamed, and taken from their users' rollup as calls without a user, in one
     * statement over the same rows (locked first), so that an entry committed meanwhile is either in both or in
     * neither, and one an erasure of its user unnamed meanwhile is seen unnamed.
     */
    private static final String POSTGRES_UNNAME = "WITH old AS (SELECT * FROM usage_ledger WHERE conversation_id IN (<ids>) FOR UPDATE),\n"
            + "unnamed AS (UPDATE usage_ledger l SET conversation_id = NULL, end_user = NULL FROM old "
            + "WHERE l.request_id = old.request_id AND l.attempt = old.attempt AND l.created_at = old.created_at),\n"
            + "taken AS (" + LedgerRows.pendingFrom("old WHERE end_user IS NOT NULL", "-", "end_user") + ")\n"
            + LedgerRows.pendingFrom("old WHERE end_user IS NOT NULL", "", "NULL");
}
