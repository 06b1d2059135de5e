package io.sluice.http.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.http.openai.OpenAiJson;
import io.sluice.ports.in.Budgets;
import io.sluice.ports.in.Caller;
import io.vertx.ext.web.RoutingContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /admin/budgets} (every cap, or one {@code scope}'s) and {@code GET /v1/budgets} (the caps the caller's key
 * counts against): each cap in its current period, with what is spent and reserved (decimal strings in dollars), the
 * share used, and the projected exhaustion (unix seconds, null when the period ends first). {@code limit} caps the list.
 */
final class BudgetsHandler {
    private static final int DEFAULT_LIMIT = 100;

    private final Budgets budgets;
    private final OpenAiJson json;

    BudgetsHandler(Budgets budgets, OpenAiJson json) {
        this.budgets = budgets;
        this.json = json;
    }

    void everyone(RoutingContext ctx) {
        answer(ctx, () -> budgets.all(ctx.request().getParam("scope"), limit(ctx)));
    }

    void own(RoutingContext ctx) {
        answer(ctx, () -> budgets.own(new Caller(Authenticator.owner(ctx), null, Authenticator.key(ctx)), limit(ctx)));
    }

    private void answer(RoutingContext ctx, java.util.function.Supplier<CompletionStage<List<Budgets.Status>>> report) {
        Replies.json(ctx, json, 200, report, this::write);
    }

    private static int limit(RoutingContext ctx) {
        String param = ctx.request().getParam("limit");
        if (param == null) return DEFAULT_LIMIT;
        try {
            return Integer.parseInt(param.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("'limit' must be between 1 and " + Budgets.MAX_LISTED, "limit", "invalid_type");
        }
    }

    private String write(List<Budgets.Status> statuses) {
        ObjectNode root = json.mapper().createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (Budgets.Status s : statuses) {
            ObjectNode node = data.addObject().put("object", "budget").put("id", s.budget()).put("scope", s.scope()).put("subject", s.subject())
                    .put("period", s.period().name().toLowerCase(Locale.ROOT)).put("period_ends_at", s.periodEnd().getEpochSecond())
                    .put("limit_usd", s.limitUsd().toPlainString()).put("spent_usd", s.spentUsd().toPlainString())
                    .put("reserved_usd", s.reservedUsd().toPlainString()).put("remaining_usd", s.remainingUsd().toPlainString());
            node.put("used_ratio", s.limitUsd().signum() == 0 ? 1.0
                    : s.spentUsd().add(s.reservedUsd()).divide(s.limitUsd(), 6, RoundingMode.HALF_UP).doubleValue());
            if (s.projectedExhaustion().isPresent()) node.put("projected_exhaustion_at", s.projectedExhaustion().get().getEpochSecond());
            else node.putNull("projected_exhaustion_at");
        }
        return root.toString();
    }
}
