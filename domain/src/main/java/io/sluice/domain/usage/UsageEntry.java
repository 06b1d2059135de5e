package io.sluice.domain.usage;

import io.sluice.domain.Require;
import io.sluice.domain.Usage;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One upstream attempt that consumed tokens, as the usage ledger keeps it: who made the call (owner: the tenant;
 * apiKeyId: which of its gateway API keys, null on an open gateway; user: their end user), what it belonged to (conversation and route, either may be null), what served it, the
 * tokens, the exact cost, how long it took and how it ended. {@code requestId} and {@code attempt} identify it, so
 * that writing it twice counts it once; {@code priceSource} says where the prices the cost was reckoned at came from
 * ({@link io.sluice.domain.Prices#source()}), or is null. {@code cacheHit}: for an answer served from the response cache
 * (outcome {@link Outcome#CACHE_HIT}, cost zero, usage the tokens it would have taken), what it saved and how close
 * the question was; null otherwise. Immutable.
 */
public record UsageEntry(String requestId, int attempt, String owner, String apiKeyId, String user, String conversationId, String route, String model,
                         String endpoint, Usage usage, BigDecimal cost, long latencyMillis, Outcome outcome, Instant at, String priceSource,
                         CacheHit cacheHit) {
    public enum Outcome {
        /** The answer was delivered whole. */
        OK,
        /** A stream that ended early: the tokens up to the cut were consumed. */
        CUT,
        /** The client went away: billed for the prompt and what was delivered until then. */
        CANCELLED,
        /** Answered from the response cache, or by an identical call in flight at the same time: nothing went upstream. */
        CACHE_HIT,
        /** Answered with the route's fallback reply: every upstream failed, the deadline passed, or a cap refused it. */
        FALLBACK_REPLY
    }

    /**
     * What an answer served from the cache saved (the cost of the call that filled it) and how similar its question
     * was to the one that filled it: 1 for an exact or coalesced hit, the cosine of the two questions' vectors for a
     * semantic hit.
     */
    public record CacheHit(BigDecimal saved, double similarity) {
        public CacheHit {
            Require.nonNull(saved, "saved");
            if (saved.signum() < 0) throw new IllegalArgumentException("'saved' must not be negative");
            if (!(similarity >= -1 && similarity <= 1.000001)) throw new IllegalArgumentException("'similarity' must be between -1 and 1");
        }
    }

    public UsageEntry {
        Require.nonBlank(requestId, "requestId");
        Require.nonBlank(owner, "owner");
        Require.nonBlank(model, "model");
        Require.nonBlank(endpoint, "endpoint");
        Require.nonNull(usage, "usage");
        Require.nonNull(cost, "cost");
        Require.nonNull(outcome, "outcome");
        Require.nonNull(at, "at");
        if (cost.signum() < 0) throw new IllegalArgumentException("'cost' must not be negative");
        if ((cacheHit != null) != (outcome == Outcome.CACHE_HIT)) throw new IllegalArgumentException("a cache hit, and only a cache hit, says what it saved");
    }

    /** An entry that is not a cache hit. */
    public UsageEntry(String requestId, int attempt, String owner, String apiKeyId, String user, String conversationId, String route, String model,
                      String endpoint, Usage usage, BigDecimal cost, long latencyMillis, Outcome outcome, Instant at, String priceSource) {
        this(requestId, attempt, owner, apiKeyId, user, conversationId, route, model, endpoint, usage, cost, latencyMillis, outcome, at, priceSource, null);
    }

    /** What this entry saved: nothing unless it was a cache hit. */
    public BigDecimal saved() {
        return cacheHit == null ? BigDecimal.ZERO : cacheHit.saved();
    }

    /** An entry whose price source is not recorded. */
    public UsageEntry(String requestId, int attempt, String owner, String apiKeyId, String user, String conversationId, String route, String model,
                      String endpoint, Usage usage, BigDecimal cost, long latencyMillis, Outcome outcome, Instant at) {
        this(requestId, attempt, owner, apiKeyId, user, conversationId, route, model, endpoint, usage, cost, latencyMillis, outcome, at, null);
    }
}
