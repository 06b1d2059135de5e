package io.sluice.ports.in;

import io.sluice.domain.Require;
import io.sluice.domain.keys.ApiKey;
import io.sluice.domain.keys.KeyPolicy;
import java.util.Optional;

/**
 * Who makes a call: {@code owner} is the tenant (the gateway API key's owner) whose data the call may touch;
 * {@code user} is the application's end user from the request's {@code user} field, and may be null; {@code key} is
 * the gateway API key the call came with, empty on an open gateway.
 */
public record Caller(String owner, String user, Optional<ApiKey> key) {
    /** The owner of every call on an open gateway (no admin key configured): its single tenant. */
    public static final String DEFAULT_OWNER = "default";

    public Caller {
        Require.nonBlank(owner, "owner");
        key = key == null ? Optional.empty() : key;
    }

    public Caller(String owner, String user) {
        this(owner, user, Optional.empty());
    }

    /** The key's defaults, limits and budgets; none without a key. */
    public KeyPolicy policy() {
        return key.map(ApiKey::policy).orElse(KeyPolicy.NONE);
    }
}
