package io.sluice.engine.batch;

import io.sluice.domain.Prices;
import io.sluice.domain.batch.Batch;
import io.sluice.domain.batch.BatchLine;
import io.sluice.domain.batch.BatchLineResult;
import io.sluice.domain.batch.BatchStatus;
import io.sluice.domain.error.Failures;
import io.sluice.domain.error.InvalidRequestException;
import io.sluice.domain.error.NonRetriableException;
import io.sluice.domain.error.UnsupportedFeatureException;
import io.sluice.domain.error.UpstreamRejectedException;
import io.sluice.domain.usage.UsageEntry;
import io.sluice.engine.models.ModelRegistry;
import io.sluice.ports.out.UpstreamBatches;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One step of a batch that a provider's own batch API runs: submit it, ask how far it got, and once it has ended, bill
 * each answer at the batch price (as the batch's ledger rows: its id, and attempt = line + 1, so a bill written twice
 * counts once), keep what each request came to, and end it. A cancelled or expired batch is called off upstream first.
 * A provider that cannot be reached leaves the batch as it is, asked again at the next step, until {@link #GIVE_UP}
 * past its expiry: then it ends expired with what was collected (nothing).
 */
final class UpstreamBatchRun {
    /** How long past its expiry a batch whose provider cannot be reached is still asked after. */
    static final Duration GIVE_UP = Duration.ofHours(1);
    private static final int MAX_FAILURE = 300;
    private static final System.Logger LOG = System.getLogger(UpstreamBatchRun.class.getName());
    private final BatchParts parts;
    private final BatchEnd end;

    UpstreamBatchRun(BatchParts parts, BatchEnd end) {
        this.parts = parts;
        this.end = end;
    }

    CompletionStage<Void> step(Batch batch, boolean expired) {
        var provider = parts.models().provider(batch.upstreamProvider());
        var api = provider.flatMap(p -> p.batches());
        if (api.isEmpty()) {
            if (batch.upstreamId() == null) return parts.store().update(batch.runByGateway(), batch.status()).thenApply(x -> null);
            return CompletableFuture.failedFuture(new InvalidRequestException("The provider '" + batch.upstreamProvider()
                    + "' that runs this batch is no longer configured with a batch API", null));
        }
        if (batch.upstreamId() == null) {
            if (batch.status() == BatchStatus.CANCELLING || expired) {
                BatchStatus last = expired ? BatchStatus.EXPIRED : BatchStatus.CANCELLED;
                return parts.lines(batch).thenCompose(lines -> end.finish(batch, lines, last, BigDecimal.ZERO)).thenApply(x -> null);
            }
            return parts.lines(batch).thenCompose(lines -> {
                BatchPlan plan = BatchPlan.of(lines, parts.models());
                // the configuration changed since it was submitted: its models are no longer all on this provider
                if (plan.upstream() != provider.get()) return parts.store().update(batch.runByGateway(), batch.status()).thenApply(x -> null);
                return submit(batch, plan, api.get());
            });
        }
        boolean stop = batch.status() == BatchStatus.CANCELLING || expired;
        CompletionStage<Void> called = stop ? api.get().cancel(batch.upstreamId()).exceptionally(e -> null) : CompletableFuture.completedFuture(null);
        return called.thenCompose(x -> api.get().state(batch.upstreamId())).handle((state, error) -> {
            if (error != null) return unreachable(batch, error);
            if (!state.ended()) {
                return parts.store().update(batch.withCounts(new Batch.Counts(batch.counts().total(), state.completed(), state.failed())),
                        batch.status()).thenApply(y -> (Void) null);
            }
            BatchStatus last = expired ? BatchStatus.EXPIRED : batch.status() == BatchStatus.CANCELLING ? BatchStatus.CANCELLED : state.endedAs();
            Batch ended = state.endedAs() == BatchStatus.FAILED ? batch.withFailure("The provider refused the batch") : batch;
            return parts.lines(batch).thenCompose(lines -> {
                BatchPlan plan = BatchPlan.of(lines, parts.models());
                return api.get().results(batch.upstreamId()).thenCompose(outcomes -> collect(batch, plan, provider.get().name(), outcomes))
                        .thenCompose(billed -> end.finish(ended, lines, last, billed));
            }).thenApply(y -> (Void) null);
        }).thenCompose(stage -> stage);
    }

    /** The provider could not be asked: tried again at the next step, or, long past the batch's expiry, given up. */
    private CompletionStage<Void> unreachable(Batch batch, Throwable error) {
        if (parts.clock().instant().isBefore(batch.expiresAt().plus(GIVE_UP))) return CompletableFuture.failedFuture(error);
        LOG.log(System.Logger.Level.WARNING, "batch " + batch.id() + ": its provider has not answered since its expiry; ended as expired with"
                + " nothing collected (" + Failures.cause(error).getClass().getSimpleName() + ")");
        return parts.lines(batch).exceptionally(e -> List.of())
                .thenCompose(lines -> end.finish(batch, lines, BatchStatus.EXPIRED, BigDecimal.ZERO)).thenApply(x -> null);
    }

    private CompletionStage<Void> submit(Batch batch, BatchPlan plan, UpstreamBatches api) {
        return api.submit(plan.upstreamLines()).handle((upstreamId, error) -> {
            if (error == null) return saveUpstreamId(batch, upstreamId);
            Throwable cause = Failures.cause(error);
            if (cause instanceof UnsupportedFeatureException || cause instanceof UpstreamRejectedException r && r.status() == 404) {
                // the provider has no batch API after all (an OpenAI-compatible server): the gateway runs it
                LOG.log(System.Logger.Level.INFO, "provider '" + batch.upstreamProvider() + "' has no batch API: batch " + batch.id() + " runs on the gateway");
                return parts.store().update(batch.runByGateway(), batch.status()).thenApply(x -> (Void) null);
            }
            // one the provider refuses fails the batch (BatchRunner): sending it again would not help
            if (cause instanceof NonRetriableException) {
                return CompletableFuture.<Void>failedFuture(new InvalidRequestException("The provider refused the batch: "
                        + io.sluice.domain.StoredText.clip(cause.getMessage(), MAX_FAILURE), null));
            }
            LOG.log(System.Logger.Level.WARNING, "batch " + batch.id() + " could not be submitted yet (" + cause.getClass().getSimpleName() + "); trying again");
            return CompletableFuture.<Void>completedFuture(null);
        }).thenCompose(stage -> stage);
    }

    /**
     * Keeps the provider's id of the batch, whatever came meanwhile: a batch cancelled while it was being submitted
     * keeps its status, and so is called off upstream at its next step, not left running there.
     */
    private CompletionStage<Void> saveUpstreamId(Batch batch, String upstreamId) {
        Batch next = batch.status() == BatchStatus.VALIDATING
                ? batch.withUpstreamId(upstreamId).withStatus(BatchStatus.IN_PROGRESS, parts.clock().instant()) : batch.withUpstreamId(upstreamId);
        return parts.store().update(next, batch.status()).thenCompose(saved -> saved ? CompletableFuture.<Void>completedFuture(null)
                : parts.store().find(batch.owner(), batch.id()).thenCompose(fresh -> fresh.isEmpty() || fresh.get().status().ended()
                        ? CompletableFuture.<Void>completedFuture(null) : saveUpstreamId(fresh.get(), upstreamId)));
    }

    /** Bills every answer at its model's batch price, keeps what each request came to; what was billed in all. */
    private CompletionStage<BigDecimal> collect(Batch batch, BatchPlan plan, String provider, List<UpstreamBatches.Outcome> outcomes) {
        // billed at the batch's creation, not now: collected again (a crash, a failed save), it writes the same entries,
        // which the ledger keeps once ((request_id, attempt, created_at) on PostgreSQL's partitioned ledger)
        Instant billedAt = batch.createdAt();
        List<UsageEntry> entries = new ArrayList<>();
        List<BatchLineResult> results = new ArrayList<>();
        BigDecimal billed = BigDecimal.ZERO;
        for (UpstreamBatches.Outcome outcome : outcomes) {
            if (outcome.index() >= plan.lines().size() || outcome.status() == 0 && outcome.response() == null) continue; // not ours, or never run
            BatchLine line = plan.lines().get(outcome.index());
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
                    provider, outcome.response().usage(), cost, 0, UsageEntry.Outcome.OK, billedAt, prices.source()));
            results.add(new BatchLineResult(line.index(), line.customId(), true, parts.codec().okLine(line.customId(), requestId, outcome.response())));
        }
        BigDecimal total = billed;
        return parts.ledger().record(entries).thenCompose(x -> parts.store().saveResults(batch.id(), results)).thenApply(x -> total);
    }
}
