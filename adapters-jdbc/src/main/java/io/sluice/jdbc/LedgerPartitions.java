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
 * second waits, then finds the work done. Making and dropping are separate transactions that wait at most
 * {@link #LOCK_WAIT} for their locks (dropping a month locks the whole ledger): bills never queue behind upkeep that
 * queues behind a long report; a run that gives up is retried an hour later, with months made ahead.
 */
final class LedgerPartitions {
    /** Months prepared ahead of the current one. */
    static final int AHEAD = 2;
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'usage_ledger_p'yyyyMM");

    private LedgerPartitions() {}

    static final String LOCK_WAIT = "5s";

    /** Creates the months ahead of {@code today} and drops those before {@code keepFrom}; returns what it did, for the log ("" for nothing). */
    static String maintain(org.jdbi.v3.core.Jdbi jdbi, LocalDate today, Optional<LocalDate> keepFrom) {
        List<String> created = jdbi.inTransaction(h -> {
            exclusive(h);
            List<String> existing = months(h), made = new ArrayList<>();
            for (int i = 0; i <= AHEAD; i++) {
                YearMonth month = YearMonth.from(today).plusMonths(i);
                String name = NAME.format(month.atDay(1));
                if (existing.contains(name)) continue;
                create(h, name, month);
                made.add(name);
            }
            return made;
        });
        List<String> dropped = keepFrom.isEmpty() ? List.of() : jdbi.inTransaction(h -> {
            exclusive(h);
            List<String> gone = new ArrayList<>();
            for (String name : months(h)) {
                YearMonth month = YearMonth.parse(name.substring("usage_ledger_p".length()), DateTimeFormatter.ofPattern("yyyyMM"));
                if (!month.plusMonths(1).atDay(1).isAfter(keepFrom.get())) {
                    h.execute("DROP TABLE " + name);
                    gone.add(name);
                }
            }
            h.createUpdate("DELETE FROM usage_ledger_default WHERE created_at < :keep").bind("keep", keepFrom.get().atStartOfDay()).execute();
            return gone;
        });
        return created.isEmpty() && dropped.isEmpty() ? "" : "ledger partitions created " + created + ", dropped " + dropped;
    }

    private static void exclusive(Handle h) {
        h.execute("SET LOCAL lock_timeout = '" + LOCK_WAIT + "'");
        h.execute("SELECT pg_advisory_xact_lock(8024, hashtext(current_schema()))");
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
        // no bill lands in the default partition between the move and the attach, which would make the attach fail
        h.execute("LOCK TABLE usage_ledger_default IN SHARE ROW EXCLUSIVE MODE");
        h.execute("WITH moved AS (DELETE FROM usage_ledger_default WHERE created_at >= " + from + " AND created_at < " + to + " RETURNING *) "
                + "INSERT INTO " + name + " SELECT * FROM moved");
        h.execute("ALTER TABLE usage_ledger ATTACH PARTITION " + name + " FOR VALUES FROM (" + from + ") TO (" + to + ")");
    }
}
