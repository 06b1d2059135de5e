package io.sluice.jdbc;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Moves {@code usage_pending} rows into the day rollups in one transaction: reads a batch, adds its sums to the
 * rollups, deletes exactly the rows it read. A pending row committed meanwhile is not read and not deleted, so nothing
 * is counted twice or lost however bills and moves interleave; a report reads rollups and pending rows together. The
 * rows read are locked, so an erasure that relabels them waits for the move, then erases its result. One
 * mover at a time: on PostgreSQL an advisory lock per schema (another replica's move is skipped, not awaited); on H2,
 * one process, a lock in this class.
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
            return jdbi.inTransaction(work);
        }
    }

    private record DayKey(String owner, LocalDate day, String apiKeyId, String model, String route) implements Comparable<DayKey> {
        @Override
        public int compareTo(DayKey o) {
            return java.util.Comparator.comparing(DayKey::owner).thenComparing(DayKey::day).thenComparing(DayKey::apiKeyId)
                    .thenComparing(DayKey::model).thenComparing(DayKey::route).compare(this, o);
        }
    }

    private record UserKey(String owner, String user, LocalDate day) implements Comparable<UserKey> {
        @Override
        public int compareTo(UserKey o) {
            return java.util.Comparator.comparing(UserKey::owner).thenComparing(UserKey::user).thenComparing(UserKey::day).compare(this, o);
        }
    }

    /** Sums of a rollup row, exact. */
    private record Sums(long requests, long input, long output, long cached, BigDecimal cost, long hits, BigDecimal saved) {
        static final Sums ZERO = new Sums(0, 0, 0, 0, BigDecimal.ZERO, 0, BigDecimal.ZERO);

        Sums plus(Sums o) {
            return new Sums(requests + o.requests, input + o.input, output + o.output, cached + o.cached, cost.add(o.cost), hits + o.hits,
                    saved.add(o.saved));
        }
    }

    /**
     * On PostgreSQL the whole move is one statement: no row travels to the gateway and back, which kept the move's
     * bursts (every 2 s) out of the stored turns' p99. Rows an erasure brought to 0 are deleted after it.
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
            WITH batch AS (SELECT id FROM usage_pending ORDER BY id LIMIT %d FOR UPDATE),
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

    /** H2: the batch read, added up here and merged (standard {@code MERGE}), then deleted by id. */
    private static int move(Handle h) {
        List<Long> ids = new ArrayList<>();
        Map<DayKey, Sums> days = new TreeMap<>();
        Map<UserKey, Sums> users = new TreeMap<>();
        h.createQuery("SELECT * FROM usage_pending ORDER BY id FETCH FIRST " + BATCH + " ROWS ONLY FOR UPDATE").map((rs, ctx) -> {
            ids.add(rs.getLong("id"));
            Sums sums = new Sums(rs.getLong("requests"), rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cached_tokens"),
                    rs.getBigDecimal("cost"), rs.getLong("cache_hits"), rs.getBigDecimal("cache_saved"));
            String owner = rs.getString("owner"), user = rs.getString("end_user");
            LocalDate day = rs.getObject("bill_day", LocalDate.class);
            days.merge(new DayKey(owner, day, rs.getString("api_key_id"), rs.getString("model"), rs.getString("route")), sums, Sums::plus);
            if (user != null) users.merge(new UserKey(owner, user, day), sums, Sums::plus);
            return null;
        }).list();
        if (ids.isEmpty()) return 0;
        // in key order: rollup rows are locked in one order whatever else locks them (an erasure)
        PreparedBatch dayRows = h.prepareBatch(merge("usage_daily", List.of("owner", "bill_day", "api_key_id", "model", "route"),
                List.of("VARCHAR(128)", "DATE", "VARCHAR(64)", "VARCHAR(256)", "VARCHAR(256)")));
        days.forEach((k, s) -> bind(dayRows, s).bind("owner", k.owner()).bind("bill_day", k.day()).bind("api_key_id", k.apiKeyId())
                .bind("model", k.model()).bind("route", k.route()).add());
        dayRows.execute();
        if (!users.isEmpty()) {
            PreparedBatch userRows = h.prepareBatch(merge("usage_daily_users", List.of("owner", "end_user", "bill_day"),
                    List.of("VARCHAR(128)", "VARCHAR(256)", "DATE")));
            users.forEach((k, s) -> bind(userRows, s).bind("owner", k.owner()).bind("end_user", k.user()).bind("bill_day", k.day()).add());
            userRows.execute();
        }
        for (int from = 0; from < ids.size(); from += 1_000) {
            h.createUpdate("DELETE FROM usage_pending WHERE id IN (<ids>)").bindList("ids", ids.subList(from, Math.min(ids.size(), from + 1_000)))
                    .execute();
        }
        return ids.size();
    }

    private static PreparedBatch bind(PreparedBatch batch, Sums s) {
        return batch.bind("requests", s.requests()).bind("input_tokens", s.input()).bind("output_tokens", s.output())
                .bind("cached_tokens", s.cached()).bind("cost", s.cost()).bind("cache_hits", s.hits()).bind("cache_saved", s.saved());
    }

    private static final List<String> SUMS = List.of("requests", "input_tokens", "output_tokens", "cached_tokens", "cost", "cache_hits", "cache_saved");
    private static final List<String> SUM_TYPES = List.of("BIGINT", "BIGINT", "BIGINT", "BIGINT", "NUMERIC(24, 9)", "BIGINT", "NUMERIC(24, 9)");

    /**
     * Standard {@code MERGE} (PostgreSQL 15 and H2): adds a row's sums to its rollup row, inserts it if new, deletes a
     * row whose requests come to 0 (an erasure took back all it held).
     */
    private static String merge(String table, List<String> keys, List<String> keyTypes) {
        List<String> selected = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) selected.add("CAST(:" + keys.get(i) + " AS " + keyTypes.get(i) + ") AS " + keys.get(i));
        for (int i = 0; i < SUMS.size(); i++) selected.add("CAST(:" + SUMS.get(i) + " AS " + SUM_TYPES.get(i) + ") AS " + SUMS.get(i));
        List<String> all = new ArrayList<>(keys);
        all.addAll(SUMS);
        return "MERGE INTO " + table + " r USING (SELECT " + String.join(", ", selected) + ") s ON "
                + String.join(" AND ", keys.stream().map(k -> "r." + k + " = s." + k).toList())
                + " WHEN MATCHED AND r.requests + s.requests = 0 THEN DELETE"
                + " WHEN MATCHED THEN UPDATE SET " + String.join(", ", SUMS.stream().map(c -> c + " = r." + c + " + s." + c).toList())
                + " WHEN NOT MATCHED AND s.requests <> 0 THEN INSERT (" + String.join(", ", all) + ") VALUES ("
                + String.join(", ", all.stream().map(c -> "s." + c).toList()) + ")";
    }
}
