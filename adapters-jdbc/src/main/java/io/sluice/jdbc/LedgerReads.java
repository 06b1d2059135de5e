package io.sluice.jdbc;

import io.sluice.domain.usage.UsageQuery.Dimension;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The SQL of a usage total over [from, to), read from the day rollups wherever they can answer it, so that a report or
 * a budget window reads a row a day and a key instead of a row an attempt. Whole days come from the rollups and what
 * is pending for them; a day the range covers in part comes either from the raw ledger for the part in range, or from
 * its rollup less the raw part out of range, whichever spans less time (the part after now holds next to nothing, so
 * "today until now" is its rollup less a few seconds). Exact either way. Reads that need what the rollups do not keep
 * (a conversation; an end user with a model, key or route) read the raw ledger, whose monthly partitions and indexes
 * bound them. Days before the raw rows' retention ({@code rawFrom}) are answered whole from their rollups: their raw
 * rows may be gone, so a range that starts or ends within one counts that whole day.
 */
final class LedgerReads {
    /** Which entries: each empty for any. */
    record Filter(Optional<String> owner, Optional<String> user, Optional<String> conversation, Optional<String> apiKey) {}

    /** A statement and the values of its named parameters. */
    record Sql(String text, Map<String, Object> params) {}

    /** The columns a part of the union yields, after its group columns. */
    private static final List<String> SUMS = List.of("requests", "input_tokens", "output_tokens", "cached_tokens", "cost", "cache_hits", "cache_saved");
    private static final List<String> RAW_SUMS = List.of("1", "input_tokens", "output_tokens", "cached_tokens", "cost",
            "CASE WHEN outcome = 'CACHE_HIT' THEN 1 ELSE 0 END", "COALESCE(cache_saved, 0)");
    private static final Set<Dimension> NOT_BY_USER = EnumSet.of(Dimension.MODEL, Dimension.KEY, Dimension.ROUTE);

    private enum Source {
        RAW("usage_ledger"), DAILY("usage_daily"), USERS("usage_daily_users"), PENDING("usage_pending");

        final String table;

        Source(String table) {
            this.table = table;
        }
    }

    private final Filter filter;
    private final List<Dimension> groupBy;
    private final List<String> parts = new ArrayList<>();
    private final Map<String, Object> params = new LinkedHashMap<>();

    private LedgerReads(Filter filter, List<Dimension> groupBy) {
        this.filter = filter;
        this.groupBy = groupBy;
        filter.owner().ifPresent(v -> params.put("owner", v));
        filter.user().ifPresent(v -> params.put("user", v));
        filter.conversation().ifPresent(v -> params.put("conversation", v));
        filter.apiKey().ifPresent(v -> params.put("key", v));
    }

    /**
     * {@code SELECT g0…, requests, input_tokens, output_tokens, cached_tokens, cost, cache_hits, cache_saved} per group,
     * groups without entries left out, ordered by the groups. Times are the ledger's own (local date-times).
     */
    static Sql totals(Filter filter, LocalDateTime from, LocalDateTime to, List<Dimension> groupBy, LocalDateTime now, LocalDate rawFrom) {
        LedgerReads reads = new LedgerReads(filter, groupBy);
        reads.plan(from, to, now, rawFrom);
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < groupBy.size(); i++) sql.append("g").append(i).append(", ");
        for (int i = 0; i < SUMS.size(); i++) sql.append(i > 0 ? ", " : "").append("SUM(").append(SUMS.get(i)).append(") AS ").append(SUMS.get(i));
        sql.append(" FROM (\n").append(String.join("\nUNION ALL\n", reads.parts)).append("\n) x");
        String groups = String.join(", ", java.util.stream.IntStream.range(0, groupBy.size()).mapToObj(i -> "g" + i).toList());
        if (!groupBy.isEmpty()) sql.append(" GROUP BY ").append(groups);
        sql.append(" HAVING SUM(requests) <> 0");
        if (!groupBy.isEmpty()) sql.append(" ORDER BY ").append(groups);
        return new Sql(sql.toString(), reads.params);
    }

    private boolean rawOnly() {
        return groupBy.contains(Dimension.CONVERSATION) || filter.conversation().isPresent()
                || byUser() && (filter.apiKey().isPresent() || groupBy.stream().anyMatch(NOT_BY_USER::contains));
    }

    private boolean byUser() {
        return groupBy.contains(Dimension.USER) || filter.user().isPresent();
    }

    private void plan(LocalDateTime from, LocalDateTime to, LocalDateTime now, LocalDate rawFrom) {
        if (rawOnly() || !from.isBefore(to)) { // the second: an empty range in local time (a clock set back at midnight)
            raw("", from, to);
            return;
        }
        LocalDate first = from.toLocalDate();
        LocalDate last = to.toLocalTime().equals(LocalTime.MIDNIGHT) ? to.toLocalDate().minusDays(1) : to.toLocalDate();
        LocalDate wholeFrom = first, wholeTo = last.plusDays(1);
        boolean firstKept = rawFrom == null || !first.isBefore(rawFrom), lastKept = rawFrom == null || !last.isBefore(rawFrom);
        if (first.equals(last)) {
            if (firstKept && !inRollup(from, to, midnight(first), midnight(first.plusDays(1)), now)) {
                raw("", from, to);
                return;
            }
            if (firstKept) subtractOutside(first, from, to);
        } else {
            if (!firstKept) {
                // whole from its rollup
            } else if (inRollup(from, midnight(first.plusDays(1)), midnight(first), midnight(first.plusDays(1)), now)) {
                subtractOutside(first, from, midnight(first.plusDays(1)));
            } else {
                raw("", from, midnight(first.plusDays(1)));
                wholeFrom = first.plusDays(1);
            }
            if (!lastKept) {
                // whole from its rollup
            } else if (inRollup(midnight(last), to, midnight(last), midnight(last.plusDays(1)), now)) {
                subtractOutside(last, midnight(last), to);
            } else {
                raw("", midnight(last), to);
                wholeTo = last;
            }
        }
        if (wholeFrom.isBefore(wholeTo)) rollups(wholeFrom, wholeTo);
    }

    /**
     * Whether the day [dayStart, dayEnd), of which [a, b) is in range, is cheaper read from its rollup less the rest
     * than from the raw ledger: by the time each spans, counting none after now.
     */
    private static boolean inRollup(LocalDateTime a, LocalDateTime b, LocalDateTime dayStart, LocalDateTime dayEnd, LocalDateTime now) {
        Duration in = span(a, b, now);
        Duration out = span(dayStart, a, now).plus(span(b, dayEnd, now));
        return out.compareTo(in) < 0;
    }

    private static Duration span(LocalDateTime a, LocalDateTime b, LocalDateTime now) {
        LocalDateTime end = b.isBefore(now) ? b : now;
        return end.isAfter(a) ? Duration.between(a, end) : Duration.ZERO;
    }

    private void subtractOutside(LocalDate day, LocalDateTime a, LocalDateTime b) {
        if (a.isAfter(midnight(day))) raw("-", midnight(day), a);
        LocalDate next = day.plusDays(1);
        // the last day a timestamp holds (9999-12-31) has no end to bound
        if (b.isBefore(midnight(next))) raw("-", b, next.getYear() > 9999 ? null : midnight(next));
    }

    private static LocalDateTime midnight(LocalDate day) {
        return day.atStartOfDay();
    }

    /** The days [from, to) from the rollups, and their pending rows. */
    private void rollups(LocalDate from, LocalDate to) {
        int n = params.size();
        params.put("d" + n, from);
        params.put("d" + n + "e", to);
        String days = "bill_day >= :d" + n + " AND bill_day < :d" + n + "e";
        part(Source.PENDING, "", days, false);
        if (!byUser()) {
            part(Source.DAILY, "", days, false);
        } else {
            part(Source.USERS, "", days, false);
            if (filter.user().isEmpty()) {
                // the calls without an end user, which the users' rollup does not keep: all calls less the users'
                part(Source.DAILY, "", days, true);
                part(Source.USERS, "-", days, true);
            }
        }
    }

    /** The raw entries in [from, to) ({@code to} null: no end), each counted with {@code sign}. */
    private void raw(String sign, LocalDateTime from, LocalDateTime to) {
        int n = params.size();
        params.put("t" + n, Timestamp.valueOf(from));
        String range = "created_at >= :t" + n;
        if (to != null) {
            params.put("t" + n + "e", Timestamp.valueOf(to));
            range += " AND created_at < :t" + n + "e";
        }
        part(Source.RAW, sign, range, false);
    }

    private void part(Source source, String sign, String range, boolean noUser) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < groupBy.size(); i++) {
            Dimension d = groupBy.get(i);
            String column = d == Dimension.USER && noUser ? "CAST(NULL AS VARCHAR(256))" : column(d, source);
            sql.append(column).append(" AS g").append(i).append(", ");
        }
        List<String> sums = source == Source.RAW ? RAW_SUMS : SUMS;
        for (int i = 0; i < sums.size(); i++) {
            sql.append(i > 0 ? ", " : "").append(sign).append("(").append(sums.get(i)).append(") AS ").append(SUMS.get(i));
        }
        sql.append(" FROM ").append(source.table).append(" WHERE ").append(range);
        if (filter.owner().isPresent()) sql.append(" AND owner = :owner");
        if (filter.user().isPresent()) sql.append(" AND end_user = :user");
        if (filter.apiKey().isPresent()) sql.append(" AND api_key_id = :key");
        if (filter.conversation().isPresent()) sql.append(" AND conversation_id = :conversation");
        parts.add(sql.toString());
    }

    /** The column that holds a dimension in a source; a fixed list, so no request text reaches the SQL. */
    private static String column(Dimension d, Source source) {
        boolean raw = source == Source.RAW;
        return switch (d) {
            case DAY -> raw ? "CAST(created_at AS DATE)" : "bill_day";
            case MODEL -> "model";
            case OWNER -> "owner";
            // '' is how the rollups keep "none"; a raw '' is read as none too, so both sides group alike
            case KEY -> "NULLIF(api_key_id, '')";
            case ROUTE -> "NULLIF(route, '')";
            case USER -> "end_user";
            case CONVERSATION -> "conversation_id";
        };
    }
}
