package io.sluice.engine.limits;

import io.sluice.domain.limits.RateLimitExceededException;
import io.sluice.domain.keys.KeyPolicy;
import io.sluice.domain.limits.Limit;
import io.sluice.domain.limits.LimitCheck;
import io.sluice.domain.limits.LimitDecision;
import io.sluice.ports.in.Caller;
import io.sluice.ports.out.LimitCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Admits a call under its rate limits before it goes upstream: its request counts at once; its tokens are estimated
 * (prompt plus max_tokens) and corrected when the usage is known, or given back when the call fails. Thread-safe.
 */
public final class FlowControl {
    private final RateLimits limits;
    private final LimitCounters counters;

    public FlowControl(RateLimits limits, LimitCounters counters) {
        this.limits = limits;
        this.counters = counters;
    }

    public static FlowControl none() {
        return new FlowControl(RateLimits.NONE, new LocalLimitCounters());
    }

    /** What a call took from its token limits, to settle once its usage is known. */
    public final class Admission {
        private final List<LimitCheck> tokenChecks;
        private final long estimate;
        private final LimitDecision decision;

        Admission(List<LimitCheck> tokenChecks, long estimate, LimitDecision decision) {
            this.tokenChecks = tokenChecks;
            this.estimate = estimate;
            this.decision = decision;
        }

        /** The tightest limit the call counted against and what it left, for the answer's x-ratelimit-* headers; null for none. */
        public LimitDecision decision() {
            return decision;
        }

        /** Replaces the estimate by the tokens used: 0 for a call that failed. */
        public void settle(long usedTokens) {
            for (LimitCheck check : tokenChecks) counters.adjust(check, usedTokens - estimate);
        }
    }

    /** Counts the call against its limits, or fails with {@link RateLimitExceededException} counting nothing. */
    public CompletionStage<Admission> admit(Caller caller, String model, LongSupplier tokens) {
        KeyPolicy own = caller.policy();
        if (limits.isEmpty() && !own.limited()) return CompletableFuture.completedFuture(new Admission(List.of(), 0, null));
        long estimate = limits.countsTokens(model) || own.tpm() > 0 ? tokens.getAsLong() : 0;
        List<LimitCheck> checks = new ArrayList<>(limits.checks(caller.owner(), caller.user(), model, estimate));
        caller.key().ifPresent(key -> checks.addAll(own.limitChecks(key.id(), estimate)));
        if (checks.isEmpty()) return CompletableFuture.completedFuture(new Admission(List.of(), 0, null));
        return counters.acquire(checks).thenApply(decision -> {
            if (!decision.allowed()) throw new RateLimitExceededException(decision);
            return new Admission(checks.stream().filter(c -> c.limit().kind() == Limit.Kind.TOKENS).toList(), estimate,
                    decision.limit() == null ? null : decision);
        });
    }
}
