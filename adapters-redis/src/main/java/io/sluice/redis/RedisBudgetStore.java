package io.sluice.redis;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.sluice.domain.budget.Budget;
import io.sluice.domain.budget.BudgetCheck;
import io.sluice.ports.out.BudgetStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link BudgetStore} in Redis, shared by every replica: each counter is a hash of what it has spent ({@code s}) and
 * holds reserved ({@code r}), in whole nano-dollars (the ledger's precision), so that Redis adds integers and never
 * rounds, and of when it was built ({@code i}, epoch milliseconds): a counter without it was lost (a flush, a restart
 * without data, a new period) and is {@link Outcome#MISSING} until the engine rebuilds it from the ledger. Each call's
 * reservation is a hold hash ({@code a} amount, {@code n} counters {@code c1..cn} and the
 * build mark each had when it took the reservation {@code b1..bn}, {@code w} what a sweep counted) and
 * an entry in one sorted set by expiry. Lua scripts make each step atomic. Amounts are rounded up to the nano-dollar,
 * so a cap is never overrun by rounding; Lua's numbers are exact to 2^53 nano-dollars, about nine million dollars per
 * counter (and a negative amount is written {@code 0 - x}: Lua spells a negated zero "-0", which Redis refuses as an
 * integer). Counters of a day or a month expire well after their period ends. Standalone Redis (the scripts touch a
 * hold's counters by name). Thread-safe.
 */
public final class RedisBudgetStore implements BudgetStore {
    private static final String RESERVE = """
            local n = #KEYS - 2
            local amount = tonumber(ARGV[1])
            local wait = false
            for i = 1, n do
              if redis.call('HEXISTS', KEYS[i], 'i') == 0 then return {3, i} end
              local limit = tonumber(ARGV[i + 1])
              local spent = tonumber(redis.call('HGET', KEYS[i], 's') or '0')
              local reserved = tonumber(redis.call('HGET', KEYS[i], 'r') or '0')
              if spent + amount > limit then return {2, i} end
              if spent + reserved + amount > limit then wait = true end
            end
            if wait then return {1, 0} end
            local hold = KEYS[n + 1]
            if redis.call('EXISTS', hold) == 1 then return {0, 0} end
            for i = 1, n do
              redis.call('HINCRBY', KEYS[i], 'r', amount)
              local ttl = tonumber(ARGV[n + 1 + i])
              if ttl > 0 and redis.call('TTL', KEYS[i]) < 0 then redis.call('EXPIRE', KEYS[i], ttl) end
              redis.call('HSET', hold, 'c' .. i, KEYS[i], 'b' .. i, redis.call('HGET', KEYS[i], 'i'))
            end
            local expires = tonumber(ARGV[2 * n + 2])
            redis.call('HSET', hold, 'a', amount, 'n', n)
            redis.call('PEXPIREAT', hold, expires + tonumber(ARGV[2 * n + 4]))
            redis.call('ZADD', KEYS[n + 2], expires, ARGV[2 * n + 3])
            return {0, 0}
            """;
    /**
     * Settles a hold on each of its counters. A counter lost and not yet rebuilt keeps the bill for its rebuild. A counter rebuilt from the ledger since the hold was made on it (its build
     * mark is not the one the hold recorded, or the hold is gone with a flush and the counter was built after the hold
     * was made) does not hold the reservation: it counts the call only if the bill was committed after the ledger was
     * read. A hold that is gone otherwise was settled already, and counts nothing again.
     */
    private static final String SETTLE = """
            local n = #KEYS - 2
            local hold = KEYS[n + 1]
            local actual = tonumber(ARGV[2])
            local billedAt = tonumber(ARGV[3])
            local madeAt = tonumber(ARGV[5])
            local held = redis.call('EXISTS', hold) == 1
            local release = 0
            local spend = actual
            if held then
              release = tonumber(redis.call('HGET', hold, 'a'))
              local swept = redis.call('HGET', hold, 'w')
              if swept then
                release = 0
                spend = actual - tonumber(swept)
              end
            end
            for i = 1, n do
              local built = redis.call('HGET', KEYS[i], 'i')
              if not built then
                -- lost and not rebuilt yet: the rebuild to come may have read the ledger before this bill was there
                redis.call('ZADD', KEYS[i] .. ':late', billedAt, ARGV[4] .. ':' .. actual)
                redis.call('EXPIRE', KEYS[i] .. ':late', 86400)
              else
                local holds = held and built == redis.call('HGET', hold, 'b' .. i)
                if holds then
                  redis.call('HINCRBY', KEYS[i], 'r', 0 - release)
                  redis.call('HINCRBY', KEYS[i], 's', spend)
                elseif (held or tonumber(built) > madeAt) and billedAt >= tonumber(built) then
                  redis.call('HINCRBY', KEYS[i], 's', actual)
                end
              end
            end
            if held then
              redis.call('DEL', hold)
              redis.call('ZREM', KEYS[n + 2], ARGV[4])
            end
            return 1
            """;
    private static final String EXPIRE = """
            redis.call('ZREM', KEYS[2], ARGV[2])
            local hold = KEYS[1]
            if redis.call('EXISTS', hold) == 0 or redis.call('HEXISTS', hold, 'w') == 1 then return 0 end
            local amount = tonumber(redis.call('HGET', hold, 'a'))
            local billed = tonumber(ARGV[1])
            for i = 1, tonumber(redis.call('HGET', hold, 'n')) do
              local counter = redis.call('HGET', hold, 'c' .. i)
              local built = redis.call('HGET', counter, 'i')
              if built and built == redis.call('HGET', hold, 'b' .. i) then
                redis.call('HINCRBY', counter, 'r', 0 - amount)
                redis.call('HINCRBY', counter, 's', billed)
              end
            end
            redis.call('HSET', hold, 'w', billed)
            return 1
            """;
    /**
     * Builds a lost counter from the ledger's sum as read at {@code asOf}, plus the bills settled while it was missing
     * that were committed after that read ({@code :late}, by commit time).
     */
    private static final String REBUILD = """
            if redis.call('HEXISTS', KEYS[1], 'i') == 1 then return 0 end
            local spent = tonumber(ARGV[1])
            for _, late in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1] .. ':late', ARGV[2], '+inf')) do
              spent = spent + tonumber(string.match(late, ':(%-?%d+)$'))
            end
            redis.call('DEL', KEYS[1] .. ':late')
            redis.call('HSET', KEYS[1], 's', spent, 'r', 0, 'i', ARGV[2])
            local ttl = tonumber(ARGV[3])
            if ttl > 0 then redis.call('EXPIRE', KEYS[1], ttl) end
            return 1
            """;
    private static final long DAY_SECONDS = 86_400;
    /** How long a swept hold is kept after its expiry, for a late settlement of its call. */
    private static final long SWEPT_KEPT_MILLIS = DAY_SECONDS * 1000;
    private static final String HOLDS = "sluice:budget:holds";

    private final RedisLink redis;

    public RedisBudgetStore(RedisLink redis) {
        this.redis = redis;
    }

    private static String key(String counter) {
        return "sluice:budget:" + counter;
    }

    private static String holdKey(String id) {
        return "sluice:budget:hold:" + id;
    }

    static long nanos(BigDecimal usd) {
        return usd.movePointRight(9).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** How long a counter outlives its period: a day's for three days, a month's for two months; a total's forever. */
    private static long ttlSeconds(Budget.Period period) {
        return switch (period) {
            case DAY -> 3 * DAY_SECONDS;
            case MONTH -> 62 * DAY_SECONDS;
            case TOTAL -> 0;
        };
    }

    /** The keys of a script that touches a hold: its counters, the hold, the sorted set of holds. */
    private static String[] keys(List<BudgetCheck> checks, String holdId) {
        String[] keys = new String[checks.size() + 2];
        for (int i = 0; i < checks.size(); i++) keys[i] = key(checks.get(i).counter());
        keys[checks.size()] = holdKey(holdId);
        keys[checks.size() + 1] = HOLDS;
        return keys;
    }

    @Override
    public CompletionStage<Reservation> reserve(Hold hold) {
        List<BudgetCheck> checks = hold.checks();
        if (checks.isEmpty()) return CompletableFuture.completedFuture(new Reservation(Outcome.RESERVED, null));
        int n = checks.size();
        String[] args = new String[2 * n + 4];
        args[0] = Long.toString(nanos(hold.amount()));
        for (int i = 0; i < n; i++) {
            // a limit rounds down, so that what fits in nano-dollars fits in dollars
            args[1 + i] = Long.toString(checks.get(i).limitUsd().movePointRight(9).setScale(0, RoundingMode.FLOOR).longValueExact());
            args[1 + n + i] = Long.toString(ttlSeconds(checks.get(i).period()));
        }
        args[2 * n + 1] = Long.toString(hold.expiresAt().toEpochMilli());
        args[2 * n + 2] = hold.id();
        args[2 * n + 3] = Long.toString(SWEPT_KEPT_MILLIS);
        return redis.call(c -> c.<List<Long>>eval(RESERVE, ScriptOutputType.MULTI, keys(checks, hold.id()), args)).thenApply(r -> switch ((int) (long) r.get(0)) {
            case 0 -> new Reservation(Outcome.RESERVED, null);
            case 1 -> new Reservation(Outcome.WAIT, null);
            case 2 -> new Reservation(Outcome.EXCEEDED, checks.get((int) (long) r.get(1) - 1));
            default -> new Reservation(Outcome.MISSING, checks.get((int) (long) r.get(1) - 1));
        });
    }

    @Override
    public CompletionStage<Void> settle(Hold hold, BigDecimal actual, Instant billedAt) {
        if (hold.checks().isEmpty()) return CompletableFuture.completedFuture(null);
        return redis.call(c -> c.<Long>eval(SETTLE, ScriptOutputType.INTEGER, keys(hold.checks(), hold.id()), Long.toString(nanos(hold.amount())),
                Long.toString(nanos(actual)), Long.toString(billedAt.toEpochMilli()), hold.id(), Long.toString(hold.reservedAt().toEpochMilli())))
                .thenApply(r -> null);
    }

    @Override
    public CompletionStage<List<String>> expired(Instant now, int max) {
        return redis.call(c -> c.zrangebyscore(HOLDS, Range.create(Double.NEGATIVE_INFINITY, (double) now.toEpochMilli()), Limit.create(0, max)));
    }

    @Override
    public CompletionStage<Void> expire(String holdId, BigDecimal billed) {
        return redis.call(c -> c.<Long>eval(EXPIRE, ScriptOutputType.INTEGER, new String[] {holdKey(holdId), HOLDS}, Long.toString(nanos(billed)), holdId))
                .thenApply(r -> null);
    }

    @Override
    public CompletionStage<Void> rebuild(BudgetCheck check, BigDecimal spent, Instant asOf) {
        return redis.call(c -> c.<Long>eval(REBUILD, ScriptOutputType.INTEGER, new String[] {key(check.counter())}, Long.toString(nanos(spent)),
                Long.toString(asOf.toEpochMilli()), Long.toString(ttlSeconds(check.period())))).thenApply(r -> null);
    }

    /** Deletes the counters named {@code prefix…} (with their late-bill sets), a SCAN page at a time. */
    @Override
    public CompletionStage<Void> forget(String prefix) {
        String pattern = key(prefix).replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "*";
        return forget(pattern, io.lettuce.core.ScanCursor.INITIAL);
    }

    private CompletionStage<Void> forget(String pattern, io.lettuce.core.ScanCursor cursor) {
        return redis.call(c -> c.scan(cursor, io.lettuce.core.ScanArgs.Builder.matches(pattern).limit(500))).thenCompose(page -> {
            CompletionStage<Long> deleted = page.getKeys().isEmpty() ? CompletableFuture.completedFuture(0L)
                    : redis.call(c -> c.del(page.getKeys().toArray(String[]::new)));
            return deleted.thenCompose(n -> page.isFinished() ? CompletableFuture.completedFuture(null) : forget(pattern, page));
        });
    }

    /** Scans the counters' keys (not their late-bill sets, nor the holds), reads each one's fields, the most spent first. */
    @Override
    public CompletionStage<List<Counter>> counters(String prefix, List<String> suffixes, int max) {
        String pattern = key(prefix).replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "*";
        List<Counter> found = new java.util.concurrent.CopyOnWriteArrayList<>();
        return counters(pattern, io.lettuce.core.ScanCursor.INITIAL, found).thenApply(done -> found.stream()
                .filter(c -> suffixes.isEmpty() || suffixes.stream().anyMatch(c.name()::endsWith))
                .sorted(java.util.Comparator.comparing(Counter::spent).reversed().thenComparing(Counter::name)).limit(max).toList());
    }

    private CompletionStage<Void> counters(String pattern, io.lettuce.core.ScanCursor cursor, List<Counter> found) {
        return redis.call(c -> c.scan(cursor, io.lettuce.core.ScanArgs.Builder.matches(pattern).limit(500))).thenCompose(page -> {
            List<CompletableFuture<Void>> reads = new java.util.ArrayList<>();
            for (String key : page.getKeys()) {
                if (key.endsWith(":late") || key.startsWith(holdKey("")) || key.equals(HOLDS)) continue;
                reads.add(redis.call(c -> c.hmget(key, "s", "r")).thenAccept(fields -> found.add(new Counter(key.substring(key("").length()),
                        nanoDollars(fields.get(0)), nanoDollars(fields.get(1))))).toCompletableFuture());
            }
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                    .thenCompose(read -> page.isFinished() ? CompletableFuture.completedFuture(null) : counters(pattern, page, found));
        });
    }

    private static BigDecimal nanoDollars(io.lettuce.core.KeyValue<String, String> field) {
        return field.hasValue() ? new BigDecimal(field.getValue()).movePointLeft(9) : BigDecimal.ZERO;
    }

    @Override
    public CompletionStage<BigDecimal> spent(String counter) {
        return field(counter, "s");
    }

    @Override
    public CompletionStage<BigDecimal> reserved(String counter) {
        return field(counter, "r");
    }

    private CompletionStage<BigDecimal> field(String counter, String field) {
        return redis.call(c -> c.hget(key(counter), field)).thenApply(s -> s == null ? BigDecimal.ZERO : new BigDecimal(s).movePointLeft(9));
    }
}
