package io.sluice.domain.keys;

import io.sluice.domain.Require;
import java.time.Instant;
import java.util.Optional;

/**
 * One of the gateway's own API keys (a virtual key), as stored: never the secret itself, only its hash. The owner is
 * the tenant whose conversations and usage the key may see; the policy, the key's own defaults, limits and budgets.
 * Immutable.
 */
public record ApiKey(String id, String owner, String name, Instant createdAt, Optional<Instant> revokedAt, KeyPolicy policy) {
    public ApiKey {
        Require.nonBlank(id, "id");
        Require.nonBlank(owner, "owner");
        Require.nonNull(createdAt, "createdAt");
        revokedAt = revokedAt == null ? Optional.empty() : revokedAt;
        policy = policy == null ? KeyPolicy.NONE : policy;
        if (owner.length() > 128) throw new IllegalArgumentException("'owner' must be at most 128 characters");
        if (name != null && name.length() > 200) throw new IllegalArgumentException("'name' must be at most 200 characters");
    }

    public ApiKey(String id, String owner, String name, Instant createdAt, Optional<Instant> revokedAt) {
        this(id, owner, name, createdAt, revokedAt, KeyPolicy.NONE);
    }

    public boolean active() {
        return revokedAt.isEmpty();
    }
}
