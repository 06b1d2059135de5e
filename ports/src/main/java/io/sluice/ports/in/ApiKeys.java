package io.sluice.ports.in;

import io.sluice.domain.keys.ApiKey;
import io.sluice.domain.keys.KeyPolicy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The gateway's own API keys: issued once, checked on every request, revoked at once. Thread-safe. */
public interface ApiKeys {
    /** A new key and its secret, which exists only in this answer. */
    record Issued(ApiKey key, String secret) {}

    CompletionStage<Issued> create(String owner, String name, KeyPolicy policy);

    /** Replaces a key's defaults, limits and budgets, from its next request on. */
    CompletionStage<ApiKey> setPolicy(String id, KeyPolicy policy);

    CompletionStage<List<ApiKey>> list();

    /** @throws io.sluice.domain.error.KeyNotFoundException (in the stage) when there is no such key */
    CompletionStage<ApiKey> revoke(String id);

    /** The active key with this secret; empty for an unknown or revoked one. */
    CompletionStage<Optional<ApiKey>> authenticate(String secret);
}
