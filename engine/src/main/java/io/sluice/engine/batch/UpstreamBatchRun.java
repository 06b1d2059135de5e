package io.sluice.engine.batch;

import io.sluice.domain.Prices;
import io.sluice.domain.batch.Batch;
import io.sluice.domain.batch.BatchLine;
import io.sluice.domain.batch.BatchLineResult;
import io.sluice.domain.batch.BatchStatus;
import io.sluice.domain.error.Failures;
import io.sluice.domain.error.NonRetriableException;
import io.sluice.domain.error.UnsupportedFeatureException;
import io.sluice.domain.error.UpstreamRejectedException;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.engine.models.ModelRegistry;
import io.sluice.ports.out.UpstreamBatches;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One step of a batch that a provider's own batch API runs: submit it, ask how far it got, and once it has ended, bill
 * each answer at the batch price (as the batch's ledger rows: its id, and attempt = line + 1, so a bill written twice
 * counts once), keep what each request came to, and end it. A cancelled or expired batch is called off upstream first.
 */
final class UpstreamBatchRun {
    private static final System.Logger LOG = System.getLogger(UpstreamBatchRun.class.getName());
    private final BatchParts parts;
    private final BatchEnd end;

    UpstreamBatchRun(BatchParts parts, BatchEnd end) {
        this.parts = parts;
        this.end = end;
    }

    CompletionStage<Void> step(Batch batch, boolean expired) {
        return parts.lines(batch).thenCompose(lines -> {
            BatchPlan plan = BatchPlan.of(lines, parts.models(), parts.tokens(), parts.context());
            if (batch.upstreamId() == null) {
                if (batch.status() == BatchStatus.CANCELLING || expired) {
                    return end.finish(batch, lines, expired ? BatchStatus.EXPIRED : BatchStatus.CANCELLED, BigDecimal.ZERO).thenApply(x -> null);
                }
                if (plan.upstream() == null) return parts.store().update(batch.runByGateway(), batch.status()).thenApply(x -> null);
                return submit(batch, plan);
            }
            UpstreamBatches api = plan.upstream().batches().orElseThrow();
            boolean stop = batch.status() == BatchStatus.CANCELLING || expired;
            CompletionStage<Void> called = stop ? api.cancel(batch.upstreamId()).exceptionally(e -> null) : CompletableFuture.completedFuture(null);
            return called.thenCompose(x -> api.state(batch.upstreamId())).thenCompose(state -> {
                if (!state.ended()) {
                    return parts.store().update(batch.withCounts(new Batch.Counts(lines.size(), state.completed(), state.failed())), batch.status())
                            .thenApply(y -> null);
                }
                BatchStatus last = expired ? BatchStatus.EXPIRED : batch.status() == BatchStatus.CANCELLING ? BatchStatus.CANCELLED : BatchStatus.COMPLETED;
                return api.results(batch.upstreamId()).thenCompose(outcomes -> collect(batch, plan, outcomes))
                        .thenCompose(billed -> end.finish(batch, lines, last, billed)).thenApply(y -> null);
            });
        });
    }

    private CompletionStage<Void> submit(Batch batch, BatchPlan plan) {
        return plan.upstream().batches().orElseThrow().submit(plan.upstreamLines()).handle((upstreamId, error) -> {
            if (error == null) {
                return parts.store().update(batch.withUpstreamId(upstreamId).withStatus(BatchStatus.IN_PROGRESS, parts.clock().instant()), batch.status());
            }
            Throwable cause = Failures.cause(error);
            if (cause instanceof UnsupportedFeatureException || cause instanceof UpstreamRejectedException r && r.status() == 404) {
                // the provider has no batch API after all (an OpenAI-compatible server): the gateway runs it
                LOG.log(System.Logger.Level.INFO, "provider '" + plan.upstream().name() + "' has no batch API: batch " + batch.id() + " runs on the gateway");
                return parts.store().update(batch.runByGateway(), batch.status());
            }
            // one the provider refuses fails the batch (BatchRunner): sending it again would not help
            if (cause instanceof NonRetriableException) return CompletableFuture.<Boolean>failedFuture(cause);
            LOG.log(System.Logger.Level.WARNING, "batch " + batch.id() + " could not be submitted yet (" + cause.getClass().getSimpleName() + "); trying again");
            return CompletableFuture.completedFuture(false);
        }).thenCompose(stage -> stage).thenApply(x -> null);
    }

    /** Bills every answer at its model's batch price, keeps what each request came to; what was billed in all. */
    private CompletionStage<BigDecimal> collect(Batch batch, BatchPlan plan, List<UpstreamBatches.Outcome> outcomes) {
        Map<String, BatchLine> byId = new HashMap<>();
        for (BatchLine line : plan.lines()) byId.put(line.customId(), line);
        Instant now = parts.clock().instant();
        List<UsageEntry> entries = new ArrayList<>();
        List<BatchLineResult> results = new ArrayList<>();
        BigDecimal billed = BigDecimal.ZERO;
        for (UpstreamBatches.Outcome outcome : outcomes) {
            BatchLine line = byId.get(outcome.customId());
            if (line == null || outcome.status() == 0 && outcome.response() == null) continue; // not ours, or never run
            String requestId = batch.id() + "-" + line.index();
            if (outcome.response() == null) {
                results.add(new BatchLineResult(line.index(), line.customId(), false,
                        parts.codec().errorLine(line.customId(), requestId, outcome.status(), null, outcome.message())));
                continue;
            }
            ModelRegistry.Target target = plan.targets().get(line.index());
            Prices prices = parts.models().batchPrices(target.spec());
            BigDecimal cost = prices.cost(outcome.response().usage());
            billed = billed.add(cost);
            entries.add(new UsageEntry(batch.id(), line.index() + 1, batch.owner(), batch.apiKeyId(), null, null, null, target.spec().name(),
                    plan.upstream().name(), outcome.response().usage(), cost, 0, UsageEntry.Outcome.OK, now, prices.source()));
            results.add(new BatchLineResult(line.index(), line.customId(), true,
                    parts.codec().okLine(line.customId(), requestId, outcome.response())));
        }
        BigDecimal total = billed;
        return parts.ledger().record(entries).thenCompose(x -> parts.store().saveResults(batch.id(), results)).thenApply(x -> total);
    }
}
