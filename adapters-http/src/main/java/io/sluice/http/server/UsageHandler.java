package io.sluice.http.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.usage.UsageQuery;
import io.sluice.domain.usage.UsageTotal;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.ports.in.UsageReports;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/usage} (the caller's own usage) and {@code GET /admin/usage} (everyone's): totals of tokens and exact
 * cost over {@code [start_time, end_time)} (unix seconds; the last 30 days by default), grouped by {@code group_by}
 * (any of day, model, owner, key, user, conversation, route, comma-separated). {@code /v1/usage/daily?days=N} is the daily
 * report of the last N days (30 by default). Costs are decimal strings in dollars, so that no client rounds them.
 */
final class UsageHandler {
    static final int DEFAULT_DAYS = 30;
    static final int MAX_DAYS = 366;

    private final UsageReports reports;
    private final OpenAiJson json;

    UsageHandler(UsageReports reports, OpenAiJson json) {
        this.reports = reports;
        this.json = json;
    }

    void own(RoutingContext ctx) {
        answer(ctx, Optional.of(Authenticator.owner(ctx)), false);
    }

    void ownDaily(RoutingContext ctx) {
        answer(ctx, Optional.of(Authenticator.owner(ctx)), true);
    }

    void everyone(RoutingContext ctx) {
        answer(ctx, Optional.empty(), false);
    }

    private void answer(RoutingContext ctx, Optional<String> owner, boolean daily) {
        Replies.json(ctx, json, 200, () -> {
            UsageQuery query = daily ? dailyQuery(ctx, owner) : query(ctx, owner);
            return reports.totals(query).thenApply(totals -> write(query, totals));
        }, ObjectNode::toString);
    }

    private static UsageQuery query(RoutingContext ctx, Optional<String> owner) {
        Instant end = instant(ctx.request().getParam("end_time"), "end_time").orElse(Instant.now());
        Instant start = instant(ctx.request().getParam("start_time"), "start_time").orElse(end.minus(Duration.ofDays(DEFAULT_DAYS)));
        if (!start.isBefore(end)) throw new InvalidRequestException("'start_time' must be before 'end_time'", "start_time");
        return new UsageQuery(owner, start, end, groupBy(ctx.request().getParam("group_by")));
    }

    private static UsageQuery dailyQuery(RoutingContext ctx, Optional<String> owner) {
        String param = ctx.request().getParam("days");
        int days;
        try {
            days = param == null ? DEFAULT_DAYS : Integer.parseInt(param.trim());
        } catch (NumberFormatException e) {
            days = -1;
        }
        if (days < 1 || days > MAX_DAYS) throw new InvalidRequestException("'days' must be a whole number from 1 to " + MAX_DAYS, "days");
        Instant tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        return new UsageQuery(owner, tomorrow.minus(Duration.ofDays(days)), tomorrow, List.of(UsageQuery.Dimension.DAY));
    }

    /** 9999-12-31T23:59:59Z. */
    static final long LAST_SECOND = 253_402_300_799L;

    private static Optional<Instant> instant(String value, String param) {
        if (value == null || value.isBlank()) return Optional.empty();
        long seconds;
        try {
            seconds = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        // the stores' timestamps end with the year 9999; and no usage is older than 1970
        if (seconds < 0 || seconds > LAST_SECOND) {
            throw new InvalidRequestException("'" + param + "' must be a time in unix seconds from 0 to " + LAST_SECOND, param);
        }
        return Optional.of(Instant.ofEpochSecond(seconds));
    }

    private static List<UsageQuery.Dimension> groupBy(String value) {
        List<UsageQuery.Dimension> dimensions = new ArrayList<>();
        if (value == null || value.isBlank()) return dimensions;
        for (String name : value.split(",")) {
            try {
                UsageQuery.Dimension d = UsageQuery.Dimension.valueOf(name.strip().toUpperCase(Locale.ROOT));
                if (!dimensions.contains(d)) dimensions.add(d);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("'group_by' takes day, model, owner, key, user, conversation and route; not '"
                        + (name.length() > 40 ? name.substring(0, 40) : name.strip()) + "'", "group_by");
            }
        }
        return dimensions;
    }

    private ObjectNode write(UsageQuery query, List<UsageTotal> totals) {
        ObjectNode root = json.mapper().createObjectNode().put("object", "list")
                .put("start_time", query.from().getEpochSecond()).put("end_time", query.to().getEpochSecond());
        query.groupBy().forEach(d -> root.withArray("group_by").add(d.label()));
        if (query.groupBy().isEmpty()) root.putArray("group_by");
        ArrayNode data = root.putArray("data");
        long requests = 0;
        long input = 0;
        long output = 0;
        long cached = 0;
        long hits = 0;
        BigDecimal cost = BigDecimal.ZERO.setScale(9);
        BigDecimal saved = BigDecimal.ZERO.setScale(9);
        for (UsageTotal t : totals) {
            ObjectNode row = data.addObject();
            t.group().forEach((d, v) -> row.put(d.label(), v));
            sums(row, new UsageTotal(Map.of(), t.requests(), t.inputTokens(), t.outputTokens(), t.cachedTokens(), t.cost(), t.cacheHits(), t.saved()));
            requests += t.requests();
            input += t.inputTokens();
            output += t.outputTokens();
            cached += t.cachedTokens();
            cost = cost.add(t.cost());
            hits += t.cacheHits();
            saved = saved.add(t.saved());
        }
        sums(root.putObject("total"), new UsageTotal(Map.of(), requests, input, output, cached, cost, hits, saved));
        return root;
    }

    /**
     * A group's sums. {@code cache_hits} of its requests were answered from the response cache, {@code cache_hit_rate}
     * (4 decimals) is their share, and {@code saved_usd} is what they would have cost.
     */
    private static void sums(ObjectNode node, UsageTotal t) {
        String rate = t.requests() == 0 ? "0" : BigDecimal.valueOf(t.cacheHits()).divide(BigDecimal.valueOf(t.requests()), 4, java.math.RoundingMode.HALF_EVEN).toPlainString();
        node.put("requests", t.requests()).put("input_tokens", t.inputTokens()).put("output_tokens", t.outputTokens()).put("cached_tokens", t.cachedTokens())
                .put("cost_usd", t.cost().toPlainString()).put("cache_hits", t.cacheHits()).put("cache_hit_rate", rate)
                .put("saved_usd", t.saved().setScale(9, java.math.RoundingMode.HALF_EVEN).toPlainString());
    }
}
