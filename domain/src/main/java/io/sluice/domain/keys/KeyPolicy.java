package io.sluice.domain.keys;

import io.sluice.domain.CounterNames;
import io.sluice.domain.budget.Budget;
import io.sluice.domain.budget.BudgetCheck;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.limits.Limit;
import io.sluice.domain.limits.LimitCheck;
import io.sluice.domain.sla.FallbackReply;
import io.sluice.domain.usage.SpendFilter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one gateway API key carries besides its owner: defaults for its calls (the route a call without a
 * {@code model} goes to, the context strategy, the SLA tier), its own rate limits (0 for none) and its own budgets.
 * Its limits and budgets count this key alone, on top of those the configuration sets for its owner.
 * {@code maxPromptTokens} caps one call's prompt (its context as sent upstream; 0 for no cap): a key handed to a
 * customer's app cannot send megabyte prompts that cost every other tenant CPU and money. {@code responseCacheTtl}: how
 * long the response cache keeps its calls' answers (before its route's or model's TTL); zero: its calls are never
 * cached; empty: the gateway's setting. {@code fallbackReply}: the key's polite answer for calls that cannot be
 * answered, ahead of its route's; {@code locale}: the language its calls' fallback replies are given in when their
 * conversation names none (a BCP 47 tag such as {@code vi-VN}). {@code priority}: the lane of its calls where calls
 * wait and when load is shed; {@code priorityHeader}: whether a call may choose its own lane with
 * {@code X-Sluice-Priority}. Immutable.
 */
public record KeyPolicy(Optional<String> route, Optional<ContextStrategy> strategy, Optional<String> tier, long rpm, long tpm,
                        Map<Budget.Period, BigDecimal> budgets, long maxPromptTokens,
                        Optional<java.time.Duration> responseCacheTtl, Optional<FallbackReply> fallbackReply, Optional<String> locale,
                        io.sluice.domain.limits.Priority priority, boolean priorityHeader) {
    /** A language tag: a language and optional subtags (region, script), as {@code vi}, {@code vi-VN}, {@code zh-Hant-TW}. */
    private static final java.util.regex.Pattern LOCALE = java.util.regex.Pattern.compile("[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8}){0,3}");

    public static final KeyPolicy NONE = new KeyPolicy(Optional.empty(), Optional.empty(), Optional.empty(), 0, 0, Map.of());

    public KeyPolicy {
        route = blankless(route, "route");
        strategy = strategy == null ? Optional.empty() : strategy;
        tier = blankless(tier, "tier");
        if (rpm < 0 || tpm < 0 || maxPromptTokens < 0) throw new IllegalArgumentException("'rpm', 'tpm' and 'max_prompt_tokens' must not be negative");
        EnumMap<Budget.Period, BigDecimal> copy = new EnumMap<>(Budget.Period.class);
        if (budgets != null) budgets.forEach((period, usd) -> {
            if (usd == null || usd.signum() < 0) throw new IllegalArgumentException("a budget must be a non-negative amount in USD");
            copy.put(period, usd);
        });
        budgets = Collections.unmodifiableMap(copy);
        responseCacheTtl = responseCacheTtl == null ? Optional.empty() : responseCacheTtl;
        if (responseCacheTtl.filter(java.time.Duration::isNegative).isPresent()) throw new IllegalArgumentException("'response_cache.ttl_seconds' must not be negative");
        priority = priority == null ? io.sluice.domain.limits.Priority.NORMAL : priority;
        fallbackReply = fallbackReply == null ? Optional.empty() : fallbackReply;
        locale = locale == null ? Optional.empty() : locale.map(String::strip);
        if (locale.filter(tag -> !LOCALE.matcher(tag).matches()).isPresent()) {
            throw new IllegalArgumentException("'locale' must be a language tag such as \"vi\" or \"vi-VN\"");
        }
    }

    public KeyPolicy(Optional<String> route, Optional<ContextStrategy> strategy, Optional<String> tier, long rpm, long tpm,
                     Map<Budget.Period, BigDecimal> budgets, long maxPromptTokens, Optional<java.time.Duration> responseCacheTtl) {
        this(route, strategy, tier, rpm, tpm, budgets, maxPromptTokens, responseCacheTtl, Optional.empty(), Optional.empty());
    }

    public KeyPolicy(Optional<String> route, Optional<ContextStrategy> strategy, Optional<String> tier, long rpm, long tpm,
                     Map<Budget.Period, BigDecimal> budgets, long maxPromptTokens, Optional<java.time.Duration> responseCacheTtl,
                     Optional<FallbackReply> fallbackReply, Optional<String> locale) {
        this(route, strategy, tier, rpm, tpm, budgets, maxPromptTokens, responseCacheTtl, fallbackReply, locale,
                io.sluice.domain.limits.Priority.NORMAL, false);
    }

    /** A call's lane: the one it asks for with {@code X-Sluice-Priority} when this policy lets it, else this policy's. */
    public io.sluice.domain.limits.Priority priorityOf(Optional<String> asked, boolean openGateway) {
        if (asked.isEmpty() || !(priorityHeader || openGateway)) return priority;
        return io.sluice.domain.limits.Priority.parse(asked.get(), "X-Sluice-Priority");
    }

    public KeyPolicy(Optional<String> route, Optional<ContextStrategy> strategy, Optional<String> tier, long rpm, long tpm,
                     Map<Budget.Period, BigDecimal> budgets, long maxPromptTokens) {
        this(route, strategy, tier, rpm, tpm, budgets, maxPromptTokens, Optional.empty());
    }

    public KeyPolicy(Optional<String> route, Optional<ContextStrategy> strategy, Optional<String> tier, long rpm, long tpm,
                     Map<Budget.Period, BigDecimal> budgets) {
        this(route, strategy, tier, rpm, tpm, budgets, 0);
    }

    private static Optional<String> blankless(Optional<String> value, String field) {
        if (value == null || value.isEmpty()) return Optional.empty();
        String s = value.get().strip();
        if (s.isEmpty() || s.length() > 200) throw new IllegalArgumentException("'" + field + "' must be 1 to 200 characters");
        return Optional.of(s);
    }

    public boolean limited() {
        return rpm > 0 || tpm > 0;
    }

    /** The key's own rate-limit checks for a call estimated at {@code tokens}; counters named {@code apikey:<id>}. */
    public List<LimitCheck> limitChecks(String keyId, long tokens) {
        List<LimitCheck> checks = new ArrayList<>(2);
        if (rpm > 0) checks.add(new LimitCheck(new Limit(scope(keyId), Limit.Kind.REQUESTS, rpm), 1));
        if (tpm > 0) checks.add(new LimitCheck(new Limit(scope(keyId), Limit.Kind.TOKENS, tpm), tokens));
        return checks;
    }

    /** The key's own budget checks at {@code now}, e.g. counter {@code apikey:<id>:day:2026-11-23}. */
    public List<BudgetCheck> budgetChecks(String keyId, Instant now) {
        List<BudgetCheck> checks = new ArrayList<>(budgets.size());
        budgets.forEach((period, usd) -> checks.add(new BudgetCheck(scope(keyId) + ":" + Budget.window(period, now), period, usd,
                SpendFilter.everyone(Budget.start(period, now), Budget.end(period, now)).apiKey(keyId))));
        return checks;
    }

    private static String scope(String keyId) {
        return CounterNames.apiKey(keyId);
    }
}
