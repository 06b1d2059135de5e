package io.sluice.domain.usage;

import io.sluice.domain.Require;
import java.time.Instant;
import java.util.Optional;

/**
 * Which ledger entries a budget counter counts: those of an owner, an owner's end user, a conversation or a gateway API
 * key (each empty for any), billed in [{@code from}, {@code to}). A counter lost with its store (a Redis restart without
 * its data) is rebuilt by summing the ledger over its filter. Immutable.
 */
public record SpendFilter(Optional<String> owner, Optional<String> user, Optional<String> conversationId, Optional<String> apiKeyId,
                          Instant from, Instant to) {
    public SpendFilter {
        Require.nonNull(owner, "owner");
        Require.nonNull(user, "user");
        Require.nonNull(conversationId, "conversationId");
        Require.nonNull(apiKeyId, "apiKeyId");
        Require.nonNull(from, "from");
        Require.nonNull(to, "to");
        if (!from.isBefore(to)) throw new IllegalArgumentException("'from' must be before 'to'");
    }

    /** Every entry billed in the period. */
    public static SpendFilter everyone(Instant from, Instant to) {
        return new SpendFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), from, to);
    }

    public SpendFilter owner(String value) {
        return new SpendFilter(Optional.of(value), user, conversationId, apiKeyId, from, to);
    }

    public SpendFilter user(String value) {
        return new SpendFilter(owner, Optional.of(value), conversationId, apiKeyId, from, to);
    }

    public SpendFilter conversation(String value) {
        return new SpendFilter(owner, user, Optional.of(value), apiKeyId, from, to);
    }

    public SpendFilter apiKey(String value) {
        return new SpendFilter(owner, user, conversationId, Optional.of(value), from, to);
    }
}
