package io.sluice.jdbc;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The raw ledger's monthly partitions on PostgreSQL ({@code usage_ledger_pYYYYMM}, V27): creates the months ahead, so
 * bills never wait on a DDL statement, and drops months wholly past the retention. A month created after some of its
 * rows landed in the default partition takes them along. One maintainer at a time (an advisory lock per schema); a
 * second waits, then finds the work done.
 */
final class LedgerPartitions {
    /** Months prepared ahead of the current one. */
    static final int AHEAD = 2;
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'usage_ledger_p'yyyyMM");

    private LedgerPartitions() {}

    /** Creates the months ahead of {@code today} and drops those before {@code keepFrom}; returns what it did, for the log ("" for nothing). */
    static String maintain(Handle h, LocalDate today, Optional<LocalDate> keepFrom) {
        h.execute("SELECT pg_advisory_xact_lock(8024, hashtext(current_schema()))");
        List<String> existing = months(h);
        List<String> created = new ArrayList<>(), dropped = new ArrayList<>();
        for (int i = 0; i <= AHEAD; i++) {
            YearMonth month = YearMonth.from(today).plusMonths(i);
            String name = NAME.format(month.atDay(1));
            if (existing.contains(name)) continue;
            create(h, name, month);
            created.add(name);
        }
        if (keepFrom.isPresent()) {
            for (String name : existing) {
                YearMonth month = YearMonth.parse(name.substring("usage_ledger_p".length()), DateTimeFormatter.ofPattern("yyyyMM"));
                if (!month.plusMonths(1).atDay(1).isAfter(keepFrom.get())) {
                    h.execute("DROP TABLE " + name);
                    dropped.add(name);
                }
            }
            h.createUpdate("DELETE FROM usage_ledger_default WHERE created_at < :keep").bind("keep", keepFrom.get().atStartOfDay()).execute();
        }
        return created.isEmpty() && dropped.isEmpty() ? "" : "ledger partitions created " + created + ", dropped " + dropped;
    }

    /** The monthly partitions there are now, by name (ours, so their month is in their name). */
    private static List<String> months(Handle h) {
        return h.createQuery("""
                        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
                        JOIN pg_namespace n ON n.oid = p.relnamespace
                        WHERE p.relname = 'usage_ledger' AND n.nspname = current_schema() AND c.relname LIKE 'usage!_ledger!_p%' ESCAPE '!'
                        ORDER BY c.relname""")
                .mapTo(String.class).list();
    }

    /** A month's partition, with any of its rows that were in the default partition: attaching checks that none is left there. */
    private static void create(Handle h, String name, YearMonth month) {
        String from = "TIMESTAMP '" + month.atDay(1) + " 00:00:00'", to = "TIMESTAMP '" + month.plusMonths(1).atDay(1) + " 00:00:00'";
        h.execute("CREATE TABLE " + name + " (LIKE usage_ledger INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
        h.execute("WITH moved AS (DELETE FROM usage_ledger_default WHERE created_at >= " + from + " AND created_at < " + to + " RETURNING *) "
                + "INSERT INTO " + name + " SELECT * FROM moved");
        h.execute("ALTER TABLE usage_ledger ATTACH PARTITION " + name + " FOR VALUES FROM (" + from + ") TO (" + to + ")");
    }
}
