package io.sluice.http.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.budget.Budget;
import io.sluice.domain.ContextStrategy;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.keys.KeyPolicy;
import io.sluice.domain.limits.Priority;
import io.sluice.domain.sla.FallbackReply;
import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A key's policy in the admin API:
 * {@code {"defaults": {"route", "context_strategy", "tier"}, "limits": {"rpm", "tpm", "max_prompt_tokens"}, "budgets": {"day", "month", "total"},
 * "response_cache": {"ttl_seconds"}, "fallback_reply": {"texts": {"default", "vi", ...}, "on": [...]}}}, every part optional;
 * {@code defaults} also takes a {@code locale}; {@code "priority": {"default": "high|normal|low", "allow_header": false}} sets
 * the lane of the key's calls and whether a call may choose its own with {@code X-Sluice-Priority}. Budgets are USD amounts, as strings for exactness or as numbers; a
 * response-cache TTL of 0 keeps the key's calls out of the cache, and none leaves it to the gateway's setting; a fallback
 * reply may also be given as one text, for every language, covering every failure.
 */
final class KeyPolicyJson {
    private final Set<String> routes;

    /** @param routes the models and routes a key's default route may name */
    KeyPolicyJson(Set<String> routes) {
        this.routes = routes;
    }

    KeyPolicy read(JsonNode body) {
        JsonNode defaults = object(body, "defaults");
        JsonNode limits = object(body, "limits");
        JsonNode budgets = object(body, "budgets");
        JsonNode cache = object(body, "response_cache");
        JsonNode priority = object(body, "priority");
        Optional<java.time.Duration> cacheTtl = cache.path("ttl_seconds").isMissingNode() || cache.path("ttl_seconds").isNull() ? Optional.empty()
                : Optional.of(java.time.Duration.ofSeconds(count(cache, "ttl_seconds", "response_cache.ttl_seconds")));
        Optional<String> route = text(defaults, "route", "defaults.route");
        if (route.isPresent() && !routes.contains(route.get())) {
            throw new InvalidRequestException("'defaults.route' names no model or route: '" + route.get() + "'", "defaults.route");
        }
        Optional<ContextStrategy> strategy = text(defaults, "context_strategy", "defaults.context_strategy").map(ContextStrategy::parse);
        Map<Budget.Period, BigDecimal> amounts = new EnumMap<>(Budget.Period.class);
        for (Budget.Period period : Budget.Period.values()) {
            String field = period.name().toLowerCase(Locale.ROOT);
            amount(budgets.path(field), "budgets." + field).ifPresent(usd -> amounts.put(period, usd));
        }
        try {
            return new KeyPolicy(route, strategy, text(defaults, "tier", "defaults.tier"), count(limits, "rpm"), count(limits, "tpm"), amounts,
                    count(limits, "max_prompt_tokens"), cacheTtl, fallbackReply(body.path("fallback_reply")),
                    text(defaults, "locale", "defaults.locale"),
                    text(priority, "default", "priority.default").map(p -> Priority.parse(p, "priority.default")).orElse(Priority.NORMAL),
                    flag(priority, "allow_header", "priority.allow_header"));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), null);
        }
    }

    void write(KeyPolicy policy, ObjectNode into) {
        ObjectNode defaults = into.putObject("defaults");
        defaults.put("route", policy.route().orElse(null));
        defaults.put("context_strategy", policy.strategy().map(Object::toString).orElse(null));
        defaults.put("tier", policy.tier().orElse(null));
        into.putObject("limits").put("rpm", policy.rpm()).put("tpm", policy.tpm()).put("max_prompt_tokens", policy.maxPromptTokens());
        defaults.put("locale", policy.locale().orElse(null));
        into.putObject("priority").put("default", policy.priority().label()).put("allow_header", policy.priorityHeader());
        into.putObject("response_cache").put("ttl_seconds", policy.responseCacheTtl().map(java.time.Duration::toSeconds).orElse(null));
        if (policy.fallbackReply().isEmpty()) {
            into.putNull("fallback_reply");
        } else {
            ObjectNode reply = into.putObject("fallback_reply");
            policy.fallbackReply().get().texts().forEach(reply.putObject("texts")::put);
            var on = reply.putArray("on");
            for (FallbackReply.Failure failure : policy.fallbackReply().get().on()) on.add(failure.label());
        }
        ObjectNode budgets = into.putObject("budgets");
        for (Budget.Period period : Budget.Period.values()) {
            BigDecimal usd = policy.budgets().get(period);
            budgets.put(period.name().toLowerCase(Locale.ROOT), usd == null ? null : usd.toPlainString());
        }
    }

    /** {@code "text"}, or {@code {"texts": {"default": "...", "vi": "..."}, "on": ["budget", ...]}}; none when absent or null. */
    private static Optional<FallbackReply> fallbackReply(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) return Optional.empty();
        Map<String, String> texts = new java.util.HashMap<>();
        Set<FallbackReply.Failure> on = java.util.EnumSet.noneOf(FallbackReply.Failure.class);
        if (node.isTextual()) {
            texts.put(FallbackReply.DEFAULT, node.textValue());
        } else if (node.isObject() && node.path("texts").isObject()) {
            if (node.path("texts").size() > MAX_LANGUAGES) {
                throw new InvalidRequestException("'fallback_reply.texts' may give at most " + MAX_LANGUAGES + " languages", "fallback_reply.texts");
            }
            for (var e : node.path("texts").properties()) {
                if (!e.getValue().isTextual() || e.getKey().isBlank() || e.getKey().length() > 35) {
                    throw new InvalidRequestException("'fallback_reply.texts' maps languages (\"default\", \"vi\", ...) to texts", "fallback_reply.texts");
                }
                texts.put(e.getKey(), e.getValue().textValue());
            }
            JsonNode failures = node.path("on");
            if (!failures.isMissingNode() && !failures.isNull() && !failures.isArray()) {
                throw new InvalidRequestException("'fallback_reply.on' must be a list of failures", "fallback_reply.on");
            }
            for (JsonNode failure : failures) {
                try {
                    on.add(FallbackReply.Failure.named(failure.asText()));
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequestException(e.getMessage(), "fallback_reply.on");
                }
            }
        } else {
            throw new InvalidRequestException("'fallback_reply' must be a text, or an object with 'texts' (by language) and 'on'", "fallback_reply");
        }
        try {
            return Optional.of(new FallbackReply(texts, on));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage(), "fallback_reply");
        }
    }

    /** More languages than any support desk writes its apology in. */
    private static final int MAX_LANGUAGES = 50;

    private static JsonNode object(JsonNode body, String field) {
        JsonNode node = body.path(field);
        if (node.isMissingNode() || node.isNull()) return MissingNode.getInstance();
        if (!node.isObject()) throw new InvalidRequestException("'" + field + "' must be an object", field);
        return node;
    }

    private static Optional<String> text(JsonNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) return Optional.empty();
        if (!node.isTextual() || node.textValue().isBlank()) throw new InvalidRequestException("'" + path + "' must be a non-empty string", path);
        return Optional.of(node.textValue());
    }

    private static boolean flag(JsonNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) return false;
        if (!node.isBoolean()) throw new InvalidRequestException("'" + path + "' must be true or false", path);
        return node.booleanValue();
    }

    private static long count(JsonNode limits, String field) {
        return count(limits, field, "limits." + field);
    }

    /** A year of seconds: a longer TTL is a mistake, and a huge one would overflow the time it expires at. */
    private static final long MAX_COUNT_OF_SECONDS = 366L * 24 * 3600;

    private static long count(JsonNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) return 0;
        if (!node.canConvertToLong() || !node.isIntegralNumber() || node.longValue() < 0) {
            throw new InvalidRequestException("'" + path + "' must be a non-negative integer (0: " + (path.startsWith("limits") ? "no limit" : "off") + ")", path);
        }
        if (path.endsWith("_seconds") && node.longValue() > MAX_COUNT_OF_SECONDS) {
            throw new InvalidRequestException("'" + path + "' must be at most " + MAX_COUNT_OF_SECONDS + " (a year)", path);
        }
        return node.longValue();
    }

    /** The ledger's amounts are NUMERIC(20,9): 11 whole digits and 9 decimal places; a billion dollars is cap enough. */
    static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");
    private static final int MAX_WHOLE_DIGITS = 10;
    private static final int MAX_SCALE = 9;
    private static final int MAX_AMOUNT_TEXT = 40;

    private static Optional<BigDecimal> amount(JsonNode node, String path) {
        if (node.isMissingNode() || node.isNull()) return Optional.empty();
        try {
            String text = node.isTextual() ? node.textValue().strip() : node.isNumber() ? node.asText() : null;
            // a short text bounds the parse; precision and scale are read before any arithmetic, which on an
            // exponent like 1e999999999 would build a billion-digit number
            BigDecimal usd = text == null || text.length() > MAX_AMOUNT_TEXT ? null : new BigDecimal(text);
            if (usd != null && usd.signum() >= 0) {
                if (usd.precision() - usd.scale() > MAX_WHOLE_DIGITS || usd.compareTo(MAX_AMOUNT) > 0) {
                    throw new InvalidRequestException("'" + path + "' must be at most " + MAX_AMOUNT.toPlainString() + " USD", path, "invalid_value");
                }
                if (usd.scale() > MAX_SCALE && usd.stripTrailingZeros().scale() > MAX_SCALE) {
                    throw new InvalidRequestException("'" + path + "' has more than " + MAX_SCALE + " decimal places", path, "invalid_value");
                }
                return Optional.of(usd.scale() > MAX_SCALE ? usd.setScale(MAX_SCALE) : usd);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException("'" + path + "' must be a non-negative amount in USD, e.g. \"5.00\"", path);
    }
}
