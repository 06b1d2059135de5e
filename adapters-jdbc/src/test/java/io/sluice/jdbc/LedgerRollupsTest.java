package io.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.domain.ChatMessage;
import io.sluice.domain.Conversation;
import io.sluice.domain.ConversationId;
import io.sluice.domain.Usage;
import io.sluice.domain.usage.SpendFilter;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.domain.usage.UsageQuery;
import io.sluice.domain.usage.UsageQuery.Dimension;
import io.sluice.domain.usage.UsageTotal;
import io.sluice.ports.out.ConversationStore;
import io.sluice.ports.out.LedgerMaintenance;
import io.sluice.ports.out.NewMessage;
import io.sluice.ports.out.UsageLedger;
import io.sluice.testkit.db.PostgresTestSchema;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Totals read from the day rollups equal totals read from the raw ledger, row by row, for every grouping and filter,
 * over ranges that start and end anywhere in a day, before and after a roll-up, while bills, roll-ups and erasures
 * interleave, and after erasures; and on PostgreSQL, the monthly partitions are made ahead and dropped past the retention.
 */
class LedgerRollupsTest {
    private static final Instant NOW = Instant.now();
    private static final List<String> OWNERS = List.of("acme", "globex");
    private static final List<String> USERS = List.of("alice", "bob", "carol");
    private static final List<Dimension> REPORTED = List.of(Dimension.DAY, Dimension.MODEL, Dimension.OWNER, Dimension.KEY, Dimension.USER,
            Dimension.ROUTE, Dimension.CONVERSATION);

    private PostgresTestSchema schema;
    private JdbcStorage storage;

    private void open(String database) {
        schema = database.equals("postgres") ? new PostgresTestSchema() : null;
        storage = JdbcStorage.open(schema != null ? TestDatabases.postgres(schema) : TestDatabases.h2());
    }

    @AfterEach
    void close() {
        if (storage != null) storage.close();
        if (schema != null) schema.close();
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private static UsageEntry entry(Random random, Instant at, String conversation, String user) {
        boolean hit = random.nextInt(5) == 0;
        int input = random.nextInt(1_000);
        return new UsageEntry("r-" + UUID.randomUUID(), 1 + random.nextInt(2), OWNERS.get(random.nextInt(OWNERS.size())),
                random.nextBoolean() ? null : "key_" + random.nextInt(2), user, conversation, random.nextInt(3) == 0 ? null : "route" + random.nextInt(2),
                "model" + random.nextInt(2), "east", new Usage(input, random.nextInt(500), input / 3),
                hit ? BigDecimal.ZERO.setScale(9) : new BigDecimal(random.nextInt(1_000_000)).movePointLeft(9), 10, hit ? UsageEntry.Outcome.CACHE_HIT : UsageEntry.Outcome.OK,
                at, null, hit ? new UsageEntry.CacheHit(new BigDecimal("0.000001234"), 1) : null);
    }

    private static String user(Random random) {
        return random.nextInt(4) == 0 ? null : USERS.get(random.nextInt(USERS.size()));
    }

    /** Entries over the 40 days before now (some at midnight exactly, some a little after now), half of them in conversations. */
    private List<UsageEntry> history(Random random, int count, ConversationStore store, List<Conversation> conversations) {
        List<UsageEntry> loose = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant at = random.nextInt(10) == 0 ? NOW.truncatedTo(ChronoUnit.DAYS).minus(random.nextInt(40), ChronoUnit.DAYS)
                    : NOW.minusMillis((long) (random.nextDouble() * Duration.ofDays(40).toMillis())).plusSeconds(random.nextInt(10) == 0 ? 5 : 0);
            if (i % 2 == 0) {
                loose.add(entry(random, at, null, user(random)));
                continue;
            }
            String user = user(random);
            Conversation c = Conversation.start(ConversationId.random(), OWNERS.get(random.nextInt(OWNERS.size())), user, at);
            conversations.add(c);
            join(store.append(c, List.of(new NewMessage(ChatMessage.user("hi"), 1, "model0", Map.of())), List.of(entry(random, at, c.id().value(), user))));
        }
        return loose;
    }

    /** The raw ledger's totals, as the ledger read them before it had rollups: the reference. */
    private List<String> reference(Optional<String> owner, Instant from, Instant to, List<Dimension> groupBy) {
        Map<Dimension, String> columns = new EnumMap<>(Map.of(Dimension.DAY, "CAST(created_at AS DATE)", Dimension.MODEL, "model", Dimension.OWNER, "owner",
                Dimension.KEY, "api_key_id", Dimension.USER, "end_user", Dimension.CONVERSATION, "conversation_id", Dimension.ROUTE, "route"));
        List<String> cols = groupBy.stream().map(columns::get).toList();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < cols.size(); i++) sql.append(cols.get(i)).append(" AS g").append(i).append(", ");
        sql.append("COUNT(*) AS n, SUM(input_tokens) AS i, SUM(output_tokens) AS o, SUM(cached_tokens) AS c, SUM(cost) AS cost, ")
                .append("SUM(CASE WHEN outcome = 'CACHE_HIT' THEN 1 ELSE 0 END) AS hits, SUM(cache_saved) AS saved FROM usage_ledger ")
                .append("WHERE created_at >= :from AND created_at < :to");
        if (owner.isPresent()) sql.append(" AND owner = :owner");
        if (!cols.isEmpty()) sql.append(" GROUP BY ").append(String.join(", ", cols));
        return jdbi().withHandle(h -> {
            var q = h.createQuery(sql.toString()).bind("from", Timestamp.from(from)).bind("to", Timestamp.from(to));
            owner.ifPresent(o -> q.bind("owner", o));
            return q.map((rs, ctx) -> {
                if (rs.getLong("n") == 0) return null;
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < cols.size(); i++) line.append(rs.getString("g" + i)).append(' ');
                BigDecimal saved = rs.getBigDecimal("saved");
                return line.append(rs.getLong("n")).append(' ').append(rs.getLong("i")).append(' ').append(rs.getLong("o")).append(' ')
                        .append(rs.getLong("c")).append(' ').append(rs.getBigDecimal("cost").setScale(9).toPlainString()).append(' ')
                        .append(rs.getLong("hits")).append(' ').append(saved == null ? "0.000000000" : saved.setScale(9).toPlainString()).toString();
            }).list().stream().filter(java.util.Objects::nonNull).sorted().toList();
        });
    }

    private Jdbi jdbi() {
        return storage.jdbi();
    }

    private static List<String> lines(List<UsageTotal> totals, List<Dimension> groupBy) {
        return totals.stream().map(t -> {
            StringBuilder line = new StringBuilder();
            for (Dimension d : groupBy) line.append(t.group().get(d)).append(' ');
            return line.append(t.requests()).append(' ').append(t.inputTokens()).append(' ').append(t.outputTokens()).append(' ')
                    .append(t.cachedTokens()).append(' ').append(t.cost().toPlainString()).append(' ').append(t.cacheHits()).append(' ')
                    .append(t.saved().toPlainString()).toString();
        }).sorted().toList();
    }

    /** Ranges: whole days, parts of days, within one day, until now, until later, and all time. */
    private static List<Instant[]> ranges(Random random) {
        Instant today = NOW.truncatedTo(ChronoUnit.DAYS);
        List<Instant[]> ranges = new ArrayList<>(List.of(
                new Instant[]{today, NOW}, new Instant[]{today.minus(29, ChronoUnit.DAYS), today.plus(1, ChronoUnit.DAYS)},
                new Instant[]{today.minus(30, ChronoUnit.DAYS).plusSeconds(3_600), NOW}, new Instant[]{Instant.EPOCH, io.sluice.domain.budget.Budget.END_OF_TIME},
                new Instant[]{today.minus(3, ChronoUnit.DAYS).plusSeconds(100), today.minus(3, ChronoUnit.DAYS).plusSeconds(80_000)}));
        for (int i = 0; i < 4; i++) {
            Instant a = NOW.minusMillis((long) (random.nextDouble() * Duration.ofDays(41).toMillis()));
            Instant b = a.plusMillis(1 + (long) (random.nextDouble() * Duration.ofDays(20).toMillis()));
            ranges.add(new Instant[]{a, b});
        }
        return ranges;
    }

    private void assertRollupsMatchTheLedger(Random random, UsageLedger ledger) {
        for (Instant[] range : ranges(random)) {
            for (Optional<String> owner : List.of(Optional.<String>empty(), Optional.of("acme"))) {
                List<List<Dimension>> groupings = new ArrayList<>(List.of(List.of()));
                for (Dimension a : REPORTED) {
                    groupings.add(List.of(a));
                    for (Dimension b : REPORTED) if (a.ordinal() < b.ordinal()) groupings.add(List.of(a, b));
                }
                for (List<Dimension> groupBy : groupings) {
                    List<UsageTotal> totals = join(ledger.totals(new UsageQuery(owner, range[0], range[1], groupBy)));
                    assertThat(lines(totals, groupBy)).as("%s %s..%s by %s", owner, range[0], range[1], groupBy)
                            .isEqualTo(reference(owner, range[0], range[1], groupBy));
                }
            }
            SpendFilter all = SpendFilter.everyone(range[0], range[1]);
            for (SpendFilter filter : List.of(all, all.owner("acme"), all.owner("acme").user("alice"), all.apiKey("key_1"))) {
                BigDecimal expected = reference(filter.owner(), range[0], range[1], List.of(Dimension.USER, Dimension.KEY)).stream()
                        .filter(line -> filter.user().map(u -> line.startsWith(u + " ")).orElse(true))
                        .filter(line -> filter.apiKeyId().map(k -> line.split(" ")[1].equals(k)).orElse(true))
                        .map(line -> new BigDecimal(line.split(" ")[6])).reduce(BigDecimal.ZERO, BigDecimal::add);
                assertThat(join(ledger.spent(filter))).as("spent %s", filter).isEqualByComparingTo(expected);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "h2"})
    void rollupsAnswerExactlyWhatTheRawLedgerHoldsWhileBillsAndRollUpsInterleave(String database) throws Exception {
        open(database);
        UsageLedger ledger = storage.usageLedger();
        LedgerMaintenance upkeep = storage.ledgerMaintenance(0);
        ConversationStore store = storage.conversations(new ObjectMapper());
        Random random = new Random(42);
        List<Conversation> conversations = java.util.Collections.synchronizedList(new ArrayList<>());

        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Integer> rollingUp = CompletableFuture.supplyAsync(() -> {
            int moved = 0;
            while (writing.get()) moved += join(upkeep.rollUp());
            return moved;
        });
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            Random mine = new Random(w);
            writes.add(CompletableFuture.runAsync(() -> {
                List<UsageEntry> loose = history(mine, 300, store, conversations);
                for (int i = 0; i < loose.size(); i += 20) {
                    List<UsageEntry> batch = loose.subList(i, Math.min(loose.size(), i + 20));
                    join(ledger.record(batch));
                    join(ledger.record(batch.subList(0, 1)));
                }
            }, writers));
        }
        // erasures race the bills and the moves: a user forgotten, a conversation purged, while both go on
        var racing = storage.erasure();
        CompletableFuture<Integer> erasing = CompletableFuture.supplyAsync(() -> {
            Random mine = new Random(7);
            int erased = 0;
            while (writing.get()) {
                join(racing.forgetUser(OWNERS.get(mine.nextInt(OWNERS.size())), USERS.get(mine.nextInt(USERS.size()))));
                Conversation c = null;
                synchronized (conversations) {
                    if (!conversations.isEmpty()) c = conversations.get(mine.nextInt(conversations.size()));
                }
                if (c != null) join(racing.purgeConversation(c.id(), c.owner()));
                erased++;
            }
            return erased;
        });
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        writers.shutdown();
        writing.set(false);
        assertThat(rollingUp.join()).as("roll-ups ran alongside the bills").isPositive();
        assertThat(erasing.join()).as("erasures ran alongside the bills and roll-ups").isPositive();

        assertRollupsMatchTheLedger(random, ledger);
        join(upkeep.rollUp());
        assertThat(count("SELECT COUNT(*) FROM usage_pending")).isZero();
        assertRollupsMatchTheLedger(random, ledger);

        // erasures take the user from rollups as from the ledger
        var erasure = storage.erasure();
        synchronized (conversations) {
            for (Conversation c : conversations.subList(0, 20)) join(erasure.purgeConversation(c.id(), c.owner()));
        }
        join(erasure.forgetUser("acme", "bob"));
        assertRollupsMatchTheLedger(random, ledger);
        join(upkeep.rollUp());
        assertRollupsMatchTheLedger(random, ledger);
        assertThat(count("SELECT COUNT(*) FROM usage_daily_users WHERE owner = 'acme' AND end_user = 'bob'")).as("the erased user is nowhere in the rollups").isZero();
    }

    private long count(String sql) {
        return jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static String partition(Instant at) {
        return "usage_ledger_p" + java.time.format.DateTimeFormatter.ofPattern("yyyyMM").format(JdbcUsageLedger.local(at));
    }

    @org.junit.jupiter.api.Test
    void monthsAreMadeAheadAndDroppedPastTheRetentionWhileTheRollupsKeepReporting() {
        open("postgres");
        UsageLedger ledger = storage.usageLedger();
        LedgerMaintenance upkeep = storage.ledgerMaintenance(400);
        Random random = new Random(7);
        Instant later = NOW.plus(200, ChronoUnit.DAYS), earlier = NOW.minus(500, ChronoUnit.DAYS);
        join(ledger.record(List.of(entry(random, NOW, null, "alice"), entry(random, later, null, "alice"), entry(random, earlier, null, "alice"))));
        assertThat(count("SELECT COUNT(*) FROM " + partition(NOW))).as("this month was made by the migration").isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM usage_ledger_default")).as("months nobody made yet").isEqualTo(2);
        join(upkeep.rollUp());
        UsageQuery allTime = new UsageQuery(Optional.empty(), Instant.EPOCH, io.sluice.domain.budget.Budget.END_OF_TIME, List.of(Dimension.DAY, Dimension.USER));
        List<String> before = lines(join(ledger.totals(allTime)), allTime.groupBy());
        assertThat(before).hasSize(3);

        assertThat(join(upkeep.maintain(later))).contains(partition(later));
        assertThat(count("SELECT COUNT(*) FROM " + partition(later))).as("moved out of the default partition into its month").isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM usage_ledger_default")).as("the row past the retention went with it").isZero();
        assertThat(count("SELECT COUNT(*) FROM " + partition(later.plus(62, ChronoUnit.DAYS)))).as("months ahead made").isZero();
        assertThat(join(upkeep.maintain(later))).as("a second run finds the work done").isEmpty();

        String dropped = join(upkeep.maintain(NOW.plus(800, ChronoUnit.DAYS)));
        assertThat(dropped).contains(partition(NOW), partition(later));
        assertThat(count("SELECT COUNT(*) FROM usage_ledger")).as("every raw row is past the retention").isZero();
        assertThat(lines(join(ledger.totals(allTime)), allTime.groupBy())).as("reports still answer from the rollups").isEqualTo(before);
        SpendFilter thisMonth = SpendFilter.everyone(io.sluice.domain.budget.Budget.start(io.sluice.domain.budget.Budget.Period.MONTH, NOW),
                io.sluice.domain.budget.Budget.end(io.sluice.domain.budget.Budget.Period.MONTH, NOW)).owner("acme");
        assertThat(join(ledger.spent(thisMonth.user("alice")))).isEqualByComparingTo(join(ledger.spent(thisMonth)));
    }

    @org.junit.jupiter.api.Test
    void onH2RawRowsPastTheRetentionAreDeletedAndTheRollupsKept() {
        open("h2");
        UsageLedger ledger = storage.usageLedger();
        Random random = new Random(8);
        Instant old = NOW.minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.DAYS).plus(18, ChronoUnit.HOURS);
        join(ledger.record(List.of(entry(random, NOW, null, null), entry(random, old, null, null))));
        join(storage.ledgerMaintenance(0).rollUp());
        UsageQuery allTime = new UsageQuery(Optional.empty(), Instant.EPOCH, io.sluice.domain.budget.Budget.END_OF_TIME, List.of(Dimension.DAY));
        List<String> before = lines(join(ledger.totals(allTime)), allTime.groupBy());
        assertThat(join(storage.ledgerMaintenance(0).maintain(NOW))).as("kept whole").isEmpty();
        assertThat(join(storage.ledgerMaintenance(10).maintain(NOW))).isEqualTo("ledger rows past retention deleted: 1");
        assertThat(count("SELECT COUNT(*) FROM usage_ledger")).isEqualTo(1);
        assertThat(lines(join(ledger.totals(allTime)), allTime.groupBy())).isEqualTo(before).hasSize(2);
        // from 17:00 on the old day: the raw rows that would tell the part of that day in range are gone, so a ledger
        // that knows the retention reads that day whole from its rollup; one that does not finds nothing there
        UsageQuery fromFive = new UsageQuery(Optional.empty(), old.minus(1, ChronoUnit.HOURS), NOW.plusSeconds(60), List.of());
        assertThat(join(storage.usageLedger(10).totals(fromFive))).singleElement().satisfies(t -> assertThat(t.requests()).isEqualTo(2));
        assertThat(join(ledger.totals(fromFive))).singleElement().satisfies(t -> assertThat(t.requests()).isEqualTo(1));
    }
}
