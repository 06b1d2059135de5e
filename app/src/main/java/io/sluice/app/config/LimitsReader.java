package io.sluice.app.config;

import static io.sluice.app.config.ConfigProblem.check;
import static io.sluice.app.config.ConfigProblem.nonNegative;

import io.sluice.domain.budget.Budget;
import io.sluice.engine.limits.RateLimits;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code sluice.limits} and {@code sluice.budgets}: rate limits, the adaptive concurrency limit, hard caps and their holds. */
final class LimitsReader {
    private LimitsReader() {}

    static LimitSettings read(SluiceConfig c) {
        LimitsConfig l = c.limits();
        boolean shared = switch (l.store()) {
            case "local" -> false;
            case "redis" -> true;
            default -> throw new ConfigProblem("sluice.limits.store", "unknown store '" + l.store() + "'; use local or redis");
        };
        Map<String, long[]> models = new HashMap<>();
        l.models().forEach((name, r) -> models.put(name, new long[] {nonNegative("sluice.limits.models.\"" + name + "\".rpm", r.rpm()),
                nonNegative("sluice.limits.models.\"" + name + "\".tpm", r.tpm())}));
        RateLimits limits = new RateLimits(nonNegative("sluice.limits.key.rpm", l.key().rpm()), nonNegative("sluice.limits.key.tpm", l.key().tpm()),
                nonNegative("sluice.limits.user.rpm", l.user().rpm()), nonNegative("sluice.limits.user.tpm", l.user().tpm()), models);
        BudgetsConfig b = c.budgets();
        return new LimitSettings(limits, shared, budgets(b))
                .withBudgetsInRedis(budgetsInRedis(b))
                .withHolds(check("sluice.budgets.hold-margin", () -> new LimitSettings.Holds(b.holdMargin(), b.sweepInterval())))
                .withAlerts(alerts(b))
                .withConcurrency(check("sluice.limits.concurrency", () -> new LimitSettings.Concurrency(l.concurrency().adaptive(),
                        l.concurrency().initialLimit(), l.concurrency().maxLimit(), l.concurrency().maxQueue())));
    }

    /** {@code sluice.budgets.alert-at} and {@code sluice.budgets.webhook}: an absolute http or https URL, or none. */
    private static LimitSettings.Alerts alerts(BudgetsConfig b) {
        java.util.Optional<java.net.URI> url = b.webhook().url().filter(u -> !u.isBlank()).map(u -> {
            try {
                java.net.URI uri = new java.net.URI(u.trim());
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) throw new java.net.URISyntaxException(u, "not http(s)");
                return uri;
            } catch (java.net.URISyntaxException e) {
                throw new ConfigProblem("sluice.budgets.webhook.url", "must be an absolute http or https URL");
            }
        });
        return check("sluice.budgets.alert-at", () -> new LimitSettings.Alerts(b.alertAt(), url, b.webhook().secret()));
    }

    /** {@code sluice.redis.command-timeout}, {@code sluice.limits.replicas}, {@code sluice.budgets.on-redis-outage}. */
    static RedisSettings redis(SluiceConfig c) {
        boolean failOpen = switch (c.budgets().onRedisOutage()) {
            case "fail-closed" -> false;
            case "fail-open" -> true;
            default -> throw new ConfigProblem("sluice.budgets.on-redis-outage", "unknown '" + c.budgets().onRedisOutage() + "'; use fail-closed or fail-open");
        };
        return check("sluice.limits.replicas", () -> new RedisSettings(c.redis().commandTimeout(), c.limits().replicas(), failOpen));
    }

    private static boolean budgetsInRedis(BudgetsConfig b) {
        return switch (b.store()) {
            case "database" -> false;
            case "redis" -> true;
            default -> throw new ConfigProblem("sluice.budgets.store", "unknown store '" + b.store() + "'; use database or redis");
        };
    }

    private static List<Budget> budgets(BudgetsConfig b) {
        List<Budget> budgets = new ArrayList<>();
        Map<Budget.Scope, BudgetsConfig.Caps> scopes = Map.of(Budget.Scope.GLOBAL, b.global(), Budget.Scope.KEY, b.key(),
                Budget.Scope.USER, b.user(), Budget.Scope.CONVERSATION, b.conversation());
        scopes.forEach((scope, caps) -> {
            String key = "sluice.budgets." + scope.name().toLowerCase(Locale.ROOT);
            Map<Budget.Period, Optional<BigDecimal>> periods = Map.of(Budget.Period.DAY, caps.day(), Budget.Period.MONTH, caps.month(),
                    Budget.Period.TOTAL, caps.total());
            periods.forEach((period, limit) -> limit.ifPresent(usd -> budgets.add(check(
                    key + "." + period.name().toLowerCase(Locale.ROOT), () -> new Budget(scope, period, usd)))));
        });
        return budgets;
    }
}
