package io.sluice.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.sluice.domain.budget.Budget;
import io.sluice.domain.budget.BudgetCheck;
import io.sluice.ports.out.BudgetStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link BudgetStore} in Redis, shared by every replica: each counter is a hash of what it has spent ({@code s}) and
 * holds reserved ({@code r}), in whole nano-dollars (the ledger's precision), so that Redis adds integers and never
 * rounds. One Lua script checks all of a call's counters and reserves on all or none, atomically. Amounts are
 * rounded up to the nano-dollar, so a cap is never overrun by rounding; Lua's numbers are exact to 2^53 nano-dollars,
 * about nine million dollars per counter. Counters of a day or a month expire well after their period ends.
 * Thread-safe.
 */
public final class RedisBudgetStore implements BudgetStore {
    private static final String RESERVE = """
            local amount = tonumber(ARGV[1])
            local wait = false
            for i = 1, #KEYS do
              local limit = tonumber(ARGV[i + 1])
              local spent = tonumber(redis.call('HGET', KEYS[i], 's') or '0')
              local reserved = tonumber(redis.call('HGET', KEYS[i], 'r') or '0')
              if spent + amount > limit then return {2, i} end
              if spent + reserved + amount > limit then wait = true end
            end
            if wait then return {1, 0} end
            for i = 1, #KEYS do
              redis.call('HINCRBY', KEYS[i], 'r', amount)
              local ttl = tonumber(ARGV[#KEYS + 1 + i])
              if ttl > 0 and redis.call('TTL', KEYS[i]) < 0 then redis.call('EXPIRE', KEYS[i], ttl) end
            end
            return {0, 0}
            """;
    private static final String SETTLE = """
            for i = 1, #KEYS do
              redis.call('HINCRBY', KEYS[i], 'r', -tonumber(ARGV[1]))
              redis.call('HINCRBY', KEYS[i], 's', tonumber(ARGV[2]))
            end
            return 1
            """;
    private static final long DAY_SECONDS = 86_400;

    private final RedisAsyncCommands<String, String> redis;

    public RedisBudgetStore(RedisAsyncCommands<String, String> redis) {
        this.redis = redis;
    }

    private static String key(String counter) {
        return "sluice:budget:" + counter;
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

    @Override
    public CompletionStage<Reservation> reserve(List<BudgetCheck> checks, BigDecimal amount) {
        if (checks.isEmpty()) return CompletableFuture.completedFuture(new Reservation(Outcome.RESERVED, null));
        String[] keys = checks.stream().map(c -> key(c.counter())).toArray(String[]::new);
        String[] args = new String[1 + 2 * checks.size()];
        args[0] = Long.toString(nanos(amount));
        for (int i = 0; i < checks.size(); i++) {
            // a limit rounds down, so that what fits in nano-dollars fits in dollars
            args[1 + i] = Long.toString(checks.get(i).limitUsd().movePointRight(9).setScale(0, RoundingMode.FLOOR).longValueExact());
            args[1 + checks.size() + i] = Long.toString(ttlSeconds(checks.get(i).period()));
        }
        return redis.<List<Long>>eval(RESERVE, ScriptOutputType.MULTI, keys, args).thenApply(r -> switch ((int) (long) r.get(0)) {
            case 0 -> new Reservation(Outcome.RESERVED, null);
            case 1 -> new Reservation(Outcome.WAIT, null);
            default -> new Reservation(Outcome.EXCEEDED, checks.get((int) (long) r.get(1) - 1));
        });
    }

    @Override
    public CompletionStage<Void> settle(List<BudgetCheck> checks, BigDecimal reserved, BigDecimal actual) {
        if (checks.isEmpty()) return CompletableFuture.completedFuture(null);
        String[] keys = checks.stream().map(c -> key(c.counter())).toArray(String[]::new);
        return redis.<Long>eval(SETTLE, ScriptOutputType.INTEGER, keys, Long.toString(nanos(reserved)), Long.toString(nanos(actual)))
                .thenApply(r -> null);
    }

    @Override
    public CompletionStage<BigDecimal> spent(String counter) {
        return redis.hget(key(counter), "s").thenApply(s -> s == null ? BigDecimal.ZERO : new BigDecimal(s).movePointLeft(9));
    }
}
