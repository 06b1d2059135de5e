package io.sluice.engine.limits;

import io.sluice.domain.limits.Gcra;
import io.sluice.domain.limits.LimitCheck;
import io.sluice.domain.limits.LimitDecision;
import io.sluice.ports.out.LimitCounters;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** {@link LimitCounters} in this process: one replica's limits. Thread-safe (one lock: a decision is a few arithmetic steps). */
public final class LocalLimitCounters implements LimitCounters {
    private final Map<String, Long> tats = new HashMap<>();

    @Override
    public synchronized CompletionStage<LimitDecision> acquire(List<LimitCheck> checks) {
        long now = TimeUnit.NANOSECONDS.toMicros(System.nanoTime());
        Gcra.Result[] results = new Gcra.Result[checks.size()];
        LimitDecision tightest = LimitDecision.UNLIMITED;
        for (int i = 0; i < checks.size(); i++) {
            LimitCheck c = checks.get(i);
            results[i] = Gcra.apply(tats.getOrDefault(c.limit().counter(), 0L), now, c.cost(), c.limit().perMinute());
            if (!results[i].allowed()) return CompletableFuture.completedFuture(decision(false, c, results[i]));
            if (results[i].remaining() < tightest.remaining()) tightest = decision(true, c, results[i]);
        }
        for (int i = 0; i < checks.size(); i++) tats.put(checks.get(i).limit().counter(), results[i].tat());
        expire(now);
        return CompletableFuture.completedFuture(tightest);
    }

    @Override
    public synchronized CompletionStage<Void> adjust(LimitCheck check, long delta) {
        String counter = check.limit().counter();
        Long tat = tats.get(counter);
        if (tat != null) tats.put(counter, tat + (long) Math.ceil(delta * (double) Gcra.WINDOW_MICROS / check.limit().perMinute()));
        return CompletableFuture.completedFuture(null);
    }

    /** Forgets counters whose bucket has drained, so that idle users cost no memory. */
    private void expire(long now) {
        if (tats.size() > 10_000) tats.values().removeIf(tat -> tat <= now);
    }

    static LimitDecision decision(boolean allowed, LimitCheck check, Gcra.Result r) {
        return new LimitDecision(allowed, check.limit(), r.remaining(), Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(r.retryAfter())),
                Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(r.reset())));
    }
}
