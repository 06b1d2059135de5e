package io.sluice.http.server;

import io.sluice.domain.keys.ApiKey;
import io.sluice.domain.keys.KeySecrets;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.ports.in.ApiKeys;
import io.sluice.ports.in.Caller;
import io.vertx.core.Context;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Checks the bearer key of every {@code /v1} call (a gateway API key: its owner becomes the call's tenant) and of every
 * {@code /admin} call (the admin key). An open gateway (no admin key configured) lets everything through as the
 * {@code default} tenant. The key comes as {@code Authorization: Bearer} (OpenAI's SDKs) or {@code x-api-key} (Anthropic's).
 * A refused call gets a 401 in its API's error shape; the key it sent is never echoed or logged.
 */
final class Authenticator {
    private static final String KEY = "sluice.key";

    private final ApiKeys keys;
    private final Optional<String> adminKeyHash;
    private final OpenAiJson json;

    Authenticator(ApiKeys keys, Optional<String> adminKeyHash, OpenAiJson json) {
        this.keys = keys;
        this.adminKeyHash = adminKeyHash;
        this.json = json;
    }

    /** The tenant of a call that went through {@link #client}. */
    static String owner(RoutingContext ctx) {
        return key(ctx).map(ApiKey::owner).orElse(Caller.DEFAULT_OWNER);
    }

    /** The API key of a call that went through {@link #client}; empty on an open gateway. */
    static Optional<ApiKey> key(RoutingContext ctx) {
        return Optional.ofNullable(ctx.get(KEY));
    }

    void client(RoutingContext ctx) {
        if (adminKeyHash.isEmpty()) {
            ctx.next();
            return;
        }
        String secret = bearer(ctx);
        if (secret == null) {
            refuse(ctx, "You didn't provide an API key. Send it as 'Authorization: Bearer sk-sluice-...' (or 'x-api-key: sk-sluice-...').",
                    "missing_api_key");
            return;
        }
        Context context = ctx.vertx().getOrCreateContext();
        ctx.request().pause(); // the body waits for the lookup; the body handler resumes it
        keys.authenticate(secret).whenComplete((key, error) -> context.runOnContext(v -> {
            if (error != null) {
                ErrorResponses.send(ctx, json, ErrorResponses.toApiError(error));
            } else if (key.isEmpty()) {
                refuse(ctx, "Incorrect API key provided, or the key was revoked.", "invalid_api_key");
            } else {
                ctx.put(KEY, key.get());
                ctx.next();
            }
        }));
    }

    void admin(RoutingContext ctx) {
        if (adminKeyHash.isEmpty()) {
            ctx.next();
            return;
        }
        String secret = bearer(ctx);
        if (secret != null && KeySecrets.sameHash(KeySecrets.hash(secret), adminKeyHash.get())) ctx.next();
        else refuse(ctx, "The admin API needs the admin key.", "invalid_admin_key");
    }

    private static String bearer(RoutingContext ctx) {
        String header = ctx.request().getHeader("authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            // Anthropic's SDKs send the key as x-api-key; a gateway key works there too
            String apiKey = ctx.request().getHeader("x-api-key");
            return apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        }
        String secret = header.substring(7).strip();
        return secret.isEmpty() ? null : secret;
    }

    private void refuse(RoutingContext ctx, String message, String code) {
        ErrorResponses.send(ctx, json, new ErrorResponses.ApiError(401, "invalid_request_error", code, null, message, null));
    }
}
