package io.sluice.http.server;

import io.sluice.domain.keys.ApiKey;
import io.sluice.domain.keys.KeyPolicy;
import io.sluice.domain.limits.Priority;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * A call's lane: its {@code X-Sluice-Priority} where its key allows a call to choose (or on an open gateway), else its
 * key's. Read after authentication.
 */
final class Priorities {
    static final String HEADER = "X-Sluice-Priority";

    private Priorities() {}

    /** The call's lane; a header that names no lane is the caller's error (400). */
    static Priority of(RoutingContext ctx) {
        Optional<ApiKey> key = Authenticator.key(ctx);
        KeyPolicy policy = key.map(ApiKey::policy).orElse(KeyPolicy.NONE);
        return policy.priorityOf(Optional.ofNullable(ctx.request().getHeader(HEADER)).filter(h -> !h.isBlank()), key.isEmpty());
    }

    /** The call's lane for the load shedder, which answers nothing but 503: a header that names no lane counts as {@code normal}. */
    static Priority lenient(RoutingContext ctx) {
        try {
            return of(ctx);
        } catch (RuntimeException badHeader) {
            return Priority.NORMAL;
        }
    }
}
