package io.sluice.redis;

import io.lettuce.core.ScriptOutputType;
import io.sluice.domain.limits.LimitCheck;
import io.sluice.domain.limits.LimitDecision;
import io.sluice.ports.out.LimitCounters;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link LimitCounters} in Redis, shared by every replica: one key per counter holding its GCRA theoretical arrival
 * time (see {@link io.sluice.domain.limits.Gcra}), decided by a Lua script on Redis's own clock, all of a call's
 * limits at once, so that replicas never race and a refused call counts nowhere. Thread-safe.
 */
public final class RedisLimitCounters implements LimitCounters {
    private static final String ACQUIRE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local window = 60000000
            local tats = {}
            local best, bestRemaining, bestReset = 0, -1, 0
            for i = 1, #KEYS do
              local cost = tonumber(ARGV[2 * i - 1])
              local interval = window / tonumber(ARGV[2 * i])
              local tat = math.max(tonumber(redis.call('GET', KEYS[i]) or '0'), now)
              local newTat = tat + math.ceil(cost * interval)
              if newTat - now <= window or tat == now then
                tats[i] = newTat
                local remaining = math.max(0, math.floor((window - (newTat - now)) / interval))
                if best == 0 or remaining < bestRemaining then best, bestRemaining, bestReset = i, remaining, newTat - now end
              else
                local remaining = math.max(0, math.floor((window - (tat - now)) / interval))
                return {0, i, remaining, newTat - window - now, tat - now}
              end
            end
            for i = 1, #KEYS do
              redis.call('SET', KEYS[i], string.format('%d', tats[i]), 'PX', math.ceil((tats[i] - now) / 1000) + 1000)
            end
            return {1, best, bestRemaining, 0, bestReset}
            """;
    private static final String ADJUST = """
            local tat = redis.call('GET', KEYS[1])
            if tat then
              redis.call('SET', KEYS[1], string.format('%d', tonumber(tat) + math.ceil(tonumber(ARGV[1]))), 'KEEPTTL')
            end
            return 1
            """;

    private final RedisLink redis;

    public RedisLimitCounters(RedisLink redis) {
        this.redis = redis;
    }

    private static String key(LimitCheck check) {
        return "sluice:limit:" + check.limit().counter();
    }

    @Override
    public CompletionStage<LimitDecision> acquire(List<LimitCheck> checks) {
        if (checks.isEmpty()) return CompletableFuture.completedFuture(LimitDecision.UNLIMITED);
        String[] keys = checks.stream().map(RedisLimitCounters::key).toArray(String[]::new);
        String[] args = new String[checks.size() * 2];
        for (int i = 0; i < checks.size(); i++) {
            args[2 * i] = Long.toString(checks.get(i).cost());
            args[2 * i + 1] = Long.toString(checks.get(i).limit().perMinute());
        }
        return redis.call(c -> c.<List<Long>>eval(ACQUIRE, ScriptOutputType.MULTI, keys, args)).thenApply(r -> {
            LimitCheck check = checks.get((int) (long) r.get(1) - 1);
            return new LimitDecision(r.get(0) == 1L, check.limit(), r.get(2), micros(r.get(3)), micros(r.get(4)));
        });
    }

    @Override
    public CompletionStage<Void> adjust(LimitCheck check, long delta) {
        double micros = delta * (double) io.sluice.domain.limits.Gcra.WINDOW_MICROS / check.limit().perMinute();
        return redis.call(c -> c.<Long>eval(ADJUST, ScriptOutputType.INTEGER, new String[] {key(check)}, Double.toString(micros))).thenApply(r -> null);
    }

    private static Duration micros(long value) {
        return Duration.ofNanos(Math.max(0, value) * 1000);
    }
}
