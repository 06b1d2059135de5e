package io.sluice.engine.limits;

import io.sluice.domain.CounterNames;
import io.sluice.domain.limits.Limit;
import io.sluice.domain.limits.LimitCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configured rate limits: requests and tokens per minute for each gateway key (its owner), each end user of an
 * owner, and each model or route; 0 for none. Immutable.
 */
public record RateLimits(long keyRpm, long keyTpm, long userRpm, long userTpm, Map<String, long[]> models) {
    public static final RateLimits NONE = new RateLimits(0, 0, 0, 0, Map.of());

    public RateLimits {
        models = Map.copyOf(models);
    }

    public boolean countsTokens(String model) {
        long[] m = models.get(model);
        return keyTpm > 0 || userTpm > 0 || m != null && m[1] > 0;
    }

    public boolean isEmpty() {
        return keyRpm == 0 && keyTpm == 0 && userRpm == 0 && userTpm == 0 && models.isEmpty();
    }

    /** What one call counts against: a request on each request limit, {@code tokens} on each token limit. */
    public List<LimitCheck> checks(String owner, String user, String model, long tokens) {
        List<LimitCheck> checks = new ArrayList<>();
        add(checks, CounterNames.key(owner), keyRpm, keyTpm, tokens);
        if (user != null && !user.isBlank()) add(checks, CounterNames.user(owner, user), userRpm, userTpm, tokens);
        long[] m = models.get(model);
        if (m != null) add(checks, "model:" + model, m[0], m[1], tokens);
        return checks;
    }

    private static void add(List<LimitCheck> checks, String scope, long rpm, long tpm, long tokens) {
        if (rpm > 0) checks.add(new LimitCheck(new Limit(scope, Limit.Kind.REQUESTS, rpm), 1));
        if (tpm > 0) checks.add(new LimitCheck(new Limit(scope, Limit.Kind.TOKENS, tpm), tokens));
    }
}
