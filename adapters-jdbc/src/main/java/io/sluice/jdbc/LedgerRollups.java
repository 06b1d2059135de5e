package io.sluice.jdbc;

import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Moves {@code usage_pending} rows into the day rollups in one transaction: reads a batch, adds its sums to the
 * rollups, deletes exactly the rows it read. A pending row committed meanwhile is not read and not deleted, so nothing
 * is counted twice or lost however bills and moves interleave; a report reads rollups and pending rows together. One
 * mover at a time, and the only writer of pending rows besides their inserts (an erasure of a user, which relabels
 * them) waits for it ({@link #excludingMoves}): on PostgreSQL an advisory lock per schema (another replica's move is
 * skipped, not awaited), so the move does not lock the rows it reads (that was a WAL record a row, a third of its
 * time); on H2, one process, a lock in this class.
 */
final class LedgerRollups {
    static final int BATCH = 5_000;
    private static final Object H2_MOVER = new Object();

    private LedgerRollups() {}

    /** One batch on the caller's transaction; returns the pending rows moved. */
    static int moveBatch(Handle h, boolean postgres) {
        if (postgres) {
            boolean mine = h.createQuery("SELECT pg_try_advisory_xact_lock(8023, hashtext(current_schema()))").mapTo(Boolean.class).one();
            return mine ? movePostgres(h) : 0;
        }
        synchronized (H2_MOVER) {
            return move(h);
        }
    }

    /** Runs {@code work} in a transaction no move overlaps: it waits for a move in progress, and the next waits for it (an erasure). */
    static <T> T excludingMoves(org.jdbi.v3.core.Jdbi jdbi, boolean postgres, org.jdbi.v3.core.HandleCallback<T, RuntimeException> work) {
        if (postgres) {
            return jdbi.inTransaction(h -> {
                h.execute("SELECT pg_advisory_xact_lock(8023, hashtext(current_schema()))");
                return work.withHandle(h);
            });
        }
        synchronized (H2_MOVER) {
            H2_BILLS.writeLock().lock(); // and no bill commits during it (see JdbcErasureStore#forgetUser)
            try {
                return jdbi.inTransaction(work);
            } finally {
                H2_BILLS.writeLock().unlock();
            }
        }
    }

    /**
     * H2 writes a bill's ledger and pending rows in two statements, and an erasure of a user unnames them in two more,
     * each statement with its own snapshot: a bill committed between the erasure's two was left named in one table and
     * not in the other. So on H2 (one process) bills share this lock and an erasure excludes them.
     */
    private static final java.util.concurrent.locks.ReentrantReadWriteLock H2_BILLS = new java.util.concurrent.locks.ReentrantReadWriteLock();

    /** Runs {@code transaction}, which bills, on H2 under the bills' shared lock; on PostgreSQL as it is. */
    static <T> T billing(boolean postgres, java.util.function.Supplier<T> transaction) {
        if (postgres) return transaction.get();
        H2_BILLS.readLock().lock();
        try {
            return transaction.get();
        } finally {
            H2_BILLS.readLock().unlock();
        }
    }

    /**
     * On PostgreSQL the whole move is one statement: no row travels to the gateway and back, which kept the move's
     * bursts out of the stored turns' p99. Rows an erasure brought to 0 are deleted after it.
     */
    private static int movePostgres(Handle h) {
        var moved = h.createQuery(POSTGRES_MOVE).map((rs, ctx) -> new long[]{rs.getLong(1), rs.getLong(2)}).one();
        if (moved[1] > 0) {
            h.execute("DELETE FROM usage_daily_users WHERE requests = 0");
            h.execute("DELETE FROM usage_daily WHERE requests = 0");
        }
        return (int) moved[0];
    }

    private static final String SUMS_SQL = "SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), SUM(cost), SUM(cache_hits), SUM(cache_saved)";
    private static final String ADD_SQL = """
            requests = r.requests + EXCLUDED.requests, input_tokens = r.input_tokens + EXCLUDED.input_tokens,
            output_tokens = r.output_tokens + EXCLUDED.output_tokens, cached_tokens = r.cached_tokens + EXCLUDED.cached_tokens,
            cost = r.cost + EXCLUDED.cost, cache_hits = r.cache_hits + EXCLUDED.cache_hits, cache_saved = r.cache_saved + EXCLUDED.cache_saved""";
    private static final String POSTGRES_MOVE = """
            WITH batch AS (SELECT id FROM usage_pending ORDER BY id LIMIT %d),
            moved AS (DELETE FROM usage_pending p USING batch b WHERE p.id = b.id RETURNING p.*),
            days AS (
                INSERT INTO usage_daily AS r (owner, bill_day, api_key_id, model, route, requests, input_tokens, output_tokens, cached_tokens, cost,
                                              cache_hits, cache_saved)
                SELECT owner, bill_day, api_key_id, model, route, %s FROM moved GROUP BY owner, bill_day, api_key_id, model, route
                ORDER BY owner, bill_day, api_key_id, model, route
                ON CONFLICT (owner, bill_day, api_key_id, model, route) DO UPDATE SET %s
            ), users AS (
                INSERT INTO usage_daily_users AS r (owner, end_user, bill_day, requests, input_tokens, output_tokens, cached_tokens, cost, cache_hits,
                                                    cache_saved)
                SELECT owner, end_user, bill_day, %s FROM moved WHERE end_user IS NOT NULL GROUP BY owner, end_user, bill_day
                ORDER BY owner, end_user, bill_day
                ON CONFLICT (owner, end_user, bill_day) DO UPDATE SET %s
            )
            SELECT COUNT(*), COUNT(*) FILTER (WHERE requests < 0) FROM moved""".formatted(BATCH, SUMS_SQL, ADD_SQL, SUMS_SQL, ADD_SQL);

    /** H2: the batch's rows read and locked, their sums merged by key in SQL, then exactly those rows deleted. */
    private static int move(Handle h) {
        List<Long> ids = h.createQuery("SELECT id FROM usage_pending ORDER BY id FETCH FIRST " + BATCH + " ROWS ONLY FOR UPDATE")
                .mapTo(Long.class).list();
        if (ids.isEmpty()) return 0;
        h.createUpdate(H2_MERGE_DAYS).bindList("ids", ids).execute();
        h.createUpdate(H2_MERGE_USERS).bindList("ids", ids).execute();
        h.createUpdate("DELETE FROM usage_pending WHERE id IN (<ids>)").bindList("ids", ids).execute();
        return ids.size();
    }

    private static final List<String> SUMS = List.of("requests", "input_tokens", "output_tokens", "cached_tokens", "cost", "cache_hits", "cache_saved");
    private static final String H2_MERGE_DAYS = merge("usage_daily", List.of("owner", "bill_day", "api_key_id", "model", "route"), "");
    private static final String H2_MERGE_USERS = merge("usage_daily_users", List.of("owner", "end_user", "bill_day"), " AND end_user IS NOT NULL");

    /**
     * Standard {@code MERGE} of the pending rows {@code <ids>} grouped by {@code keys}: adds their sums to the rollup
     * row, inserts it if new, deletes a row whose requests come to 0 (an erasure took back all it held).
     */
    private static String merge(String table, List<String> keys, String where) {
        String keyList = String.join(", ", keys);
        List<String> all = new java.util.ArrayList<>(keys);
        all.addAll(SUMS);
        return "MERGE INTO " + table + " r USING (SELECT " + keyList + ", " + String.join(", ", SUMS.stream().map(c -> "SUM(" + c + ") AS " + c).toList())
                + " FROM usage_pending WHERE id IN (<ids>)" + where + " GROUP BY " + keyList + ") s ON "
                + String.join(" AND ", keys.stream().map(k -> "r." + k + " = s." + k).toList())
                + " WHEN MATCHED AND r.requests + s.requests = 0 THEN DELETE"
                + " WHEN MATCHED THEN UPDATE SET " + String.join(", ", SUMS.stream().map(c -> c + " = r." + c + " + s." + c).toList())
                + " WHEN NOT MATCHED AND s.requests <> 0 THEN INSERT (" + String.join(", ", all) + ") VALUES ("
                + String.join(", ", all.stream().map(c -> "s." + c).toList()) + ")";
    }
}
