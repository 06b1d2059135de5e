package io.sluice.engine.budget;

import io.sluice.domain.CounterNames;
import io.sluice.domain.budget.Budget;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.ports.in.Budgets;
import io.sluice.ports.in.Caller;
import io.sluice.ports.out.ApiKeyStore;
import io.sluice.ports.out.BudgetStore;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The budgets report: the counters of the current periods, read from their store, each with the cap it counts against
 * (from the configured budgets, or its API key's policy) and a projection of when it runs out. Counters of past
 * periods, and those no cap names any more (a budget removed from the configuration), are left out.
 */
public final class BudgetReport implements Budgets {
    private static final List<String> SCOPES = List.of("global", "key", "user", "conversation", "apikey");

    private final List<Budget> configured;
    private final BudgetStore store;
    private final ApiKeyStore keys;
    private final Clock clock;

    public BudgetReport(List<Budget> configured, BudgetStore store, ApiKeyStore keys, Clock clock) {
        this.configured = List.copyOf(configured);
        this.store = store;
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public CompletionStage<List<Status>> all(String scope, int max) {
        if (scope != null && !SCOPES.contains(scope)) {
            throw new InvalidRequestException("'scope' must be one of " + String.join(", ", SCOPES), "scope");
        }
        return report(scope == null ? List.of("") : List.of(scope + ":"), max, named -> true);
    }

    @Override
    public CompletionStage<List<Status>> own(Caller caller, int max) {
        String key = CounterNames.key(caller.owner());
        List<String> prefixes = new ArrayList<>(List.of(CounterNames.periodsOf(key), CounterNames.usersOf(caller.owner())));
        caller.key().ifPresent(apiKey -> prefixes.add(CounterNames.periodsOf(CounterNames.apiKey(apiKey.id()))));
        // the prefix "key:acme:" matches no other owner's counter ("acme:eu" is "acme%3Aeu"); kept as a second guard
        return report(prefixes, max, named -> !named.scope().equals("key") || named.subject().equals(CounterNames.part(caller.owner())));
    }

    /** How many counters a report reads from the store: the largest list, four times over, to be sorted by share used. */
    private static final int READ = 4 * MAX_LISTED;

    private CompletionStage<List<Status>> report(List<String> prefixes, int max, java.util.function.Predicate<Named> mine) {
        if (max < 1 || max > MAX_LISTED) throw new InvalidRequestException("'limit' must be between 1 and " + MAX_LISTED, "limit");
        Instant now = clock.instant();
        List<String> current = java.util.Arrays.stream(Budget.Period.values()).map(p -> ":" + Budget.window(p, now)).toList();
        List<CompletableFuture<List<BudgetStore.Counter>>> reads = new ArrayList<>();
        // the store ranks by dollars, the report by share of the cap: read well past the page, then rank and cut
        for (String prefix : prefixes) reads.add(store.counters(prefix, current, READ).toCompletableFuture());
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenCompose(read -> {
            List<Named> named = new ArrayList<>();
            for (var r : reads) for (BudgetStore.Counter c : r.join()) Named.parse(c, now).filter(mine).ifPresent(named::add);
            return limits(named).thenApply(limits -> named.stream()
                    .flatMap(n -> Optional.ofNullable(limits.get(n)).map(limit -> status(n, limit, now)).stream())
                    .sorted(Comparator.comparing((Status s) -> s.spentUsd().add(s.reservedUsd()).divide(s.limitUsd().max(CENT), 9, RoundingMode.HALF_UP))
                            .reversed().thenComparing(Status::budget))
                    .limit(max).toList());
        });
    }

    private static final BigDecimal CENT = new BigDecimal("0.000000001");

    /** Each counter's cap: a configured budget's, or its API key's policy's (read once per key). */
    private CompletionStage<Map<Named, BigDecimal>> limits(List<Named> counters) {
        Map<Named, BigDecimal> limits = new ConcurrentHashMap<>();
        Map<String, CompletableFuture<Optional<io.sluice.domain.keys.ApiKey>>> byId = new ConcurrentHashMap<>();
        List<CompletableFuture<?>> reads = new ArrayList<>();
        for (Named n : counters) {
            if (n.scope().equals("apikey")) {
                reads.add(byId.computeIfAbsent(n.subject(), id -> keys.find(id).toCompletableFuture()).thenAccept(key -> key
                        .flatMap(k -> Optional.ofNullable(k.policy().budgets().get(n.period()))).ifPresent(limit -> limits.put(n, limit))));
            } else {
                configured.stream().filter(b -> b.scope().name().equalsIgnoreCase(n.scope()) && b.period() == n.period())
                        .findFirst().ifPresent(b -> limits.put(n, b.limitUsd()));
            }
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(done -> limits);
    }

    private static Status status(Named n, BigDecimal limit, Instant now) {
        Instant start = Budget.start(n.period(), now);
        Instant end = Budget.end(n.period(), now);
        return new Status(n.counter().name(), n.scope(), n.subject(), n.period(), end, limit, n.counter().spent(), n.counter().reserved(),
                projection(n.period(), start, end, now, limit, n.counter()));
    }

    /** When the spend so far, at the pace it was spent since the period began, reaches the cap; if within the period. */
    static Optional<Instant> projection(Budget.Period period, Instant start, Instant end, Instant now, BigDecimal limit, BudgetStore.Counter c) {
        BigDecimal used = c.spent().add(c.reserved());
        if (used.compareTo(limit) >= 0) return Optional.of(now);
        if (period == Budget.Period.TOTAL || c.spent().signum() == 0) return Optional.empty();
        long elapsedMillis = Math.max(1, Duration.between(start, now).toMillis());
        // millis to go = what is left / (spent per milli)
        BigDecimal toGo = limit.subtract(used).multiply(BigDecimal.valueOf(elapsedMillis)).divide(c.spent(), 0, RoundingMode.CEILING);
        if (toGo.compareTo(BigDecimal.valueOf(Duration.between(now, end).toMillis())) >= 0) return Optional.empty();
        return Optional.of(now.plusMillis(toGo.longValueExact()));
    }

    /** A counter of a current period, its name taken apart: scope, subject, period. */
    private record Named(BudgetStore.Counter counter, String scope, String subject, Budget.Period period) {
        static Optional<Named> parse(BudgetStore.Counter c, Instant now) {
            String name = c.name();
            int colon = name.indexOf(':');
            if (colon < 0 || !SCOPES.contains(name.substring(0, colon))) return Optional.empty();
            String scope = name.substring(0, colon);
            for (Budget.Period period : Budget.Period.values()) {
                String window = Budget.window(period, now);
                if (scope.equals("global") && name.equals("global:" + window)) return Optional.of(new Named(c, scope, "", period));
                if (name.endsWith(":" + window) && name.length() > colon + 1 + window.length() + 1) {
                    return Optional.of(new Named(c, scope, name.substring(colon + 1, name.length() - window.length() - 1), period));
                }
            }
            return Optional.empty();
        }
    }
}
