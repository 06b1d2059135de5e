package io.sluice.engine.limits;

import io.sluice.domain.error.Failures;
import io.sluice.domain.error.SharedStoreUnavailableException;
import io.sluice.domain.limits.Limit;
import io.sluice.domain.limits.LimitCheck;
import io.sluice.domain.limits.LimitDecision;
import io.sluice.ports.out.LimitCounters;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Shared counters that fall back to this process's own while their store is unreachable: each replica then counts
 * its share (1/{@code replicas}) of every limit, so that the replicas together stay near the limit without sharing a
 * count, and calls go on being served. Back on the shared counters once the store answers. Thread-safe.
 */
public final class DegradingLimitCounters implements LimitCounters {
    private final LimitCounters shared;
    private final LimitCounters local = new LocalLimitCounters();
    private final int replicas;

    public DegradingLimitCounters(LimitCounters shared, int replicas) {
        if (replicas < 1) throw new IllegalArgumentException("'replicas' must be 1 or more, was " + replicas);
        this.shared = shared;
        this.replicas = replicas;
    }

    @Override
    public CompletionStage<LimitDecision> acquire(List<LimitCheck> checks) {
        return shared.acquire(checks).exceptionallyCompose(error -> unreachable(error)
                ? local.acquire(checks.stream().map(this::share).toList()).thenApply(this::unshare)
                : CompletableFuture.failedFuture(error));
    }

    @Override
    public CompletionStage<Void> adjust(LimitCheck check, long delta) {
        return shared.adjust(check, delta).exceptionallyCompose(error -> unreachable(error)
                ? local.adjust(share(check), delta)
                : CompletableFuture.failedFuture(error));
    }

    /** The check against this replica's share of its limit. */
    private LimitCheck share(LimitCheck check) {
        Limit l = check.limit();
        return new LimitCheck(new Limit(l.scope(), l.kind(), Math.max(1, l.perMinute() / replicas)), check.cost());
    }

    /** A decision names the limit as configured, not the share it was counted against. */
    private LimitDecision unshare(LimitDecision d) {
        if (d.limit() == null || replicas == 1) return d;
        return new LimitDecision(d.allowed(), new Limit(d.limit().scope(), d.limit().kind(), d.limit().perMinute() * replicas), d.remaining(),
                d.retryAfter(), d.reset());
    }

    private static boolean unreachable(Throwable error) {
        return Failures.cause(error) instanceof SharedStoreUnavailableException;
    }
}
