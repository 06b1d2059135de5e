package io.sluice.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.batch.Batch;
import io.sluice.domain.batch.BatchLineResult;
import io.sluice.domain.batch.BatchStatus;
import io.sluice.ports.out.BatchStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BatchStore} must do: keep a batch whole, scope reads to its owner, change a batch only from the
 * status its writer saw, list unfinished batches, keep each request's result once, and lease a batch to one holder.
 */
public abstract class BatchStoreContract {
    protected abstract BatchStore store();

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private Batch create(String owner, Instant at) {
        Batch batch = new Batch(Batch.newId(), owner, "key-1", "file-abc", "/v1/chat/completions", "24h", Map.of("job", "nightly", "ü", "中文"),
                BatchStatus.VALIDATING, null, at, at.plusSeconds(86_400), new Batch.Counts(3, 0, 0), null, null, "openai", null,
                new BigDecimal("0.001234567"), null);
        join(store().create(batch));
        return batch;
    }

    @Test
    void aBatchIsKeptWholeAndOnlyItsOwnerSeesIt() {
        String owner = "owner-" + UUID.randomUUID();
        Batch batch = create(owner, Instant.parse("2026-12-03T10:00:00Z"));
        assertThat(join(store().find(owner, batch.id()))).contains(batch);
        assertThat(join(store().find("someone-else", batch.id()))).isEmpty();
        assertThat(join(store().unfinished())).contains(batch);
    }

    @Test
    void aBatchChangesOnlyFromTheStatusItsWriterSaw() {
        String owner = "owner-" + UUID.randomUUID();
        Instant t0 = Instant.parse("2026-12-03T10:00:00Z");
        Batch batch = create(owner, t0);
        Batch running = batch.withStatus(BatchStatus.IN_PROGRESS, t0.plusSeconds(1)).withUpstreamId("batch_up_1").withCounts(new Batch.Counts(3, 1, 1));
        assertThat(join(store().update(running, BatchStatus.VALIDATING))).isTrue();
        assertThat(join(store().update(running.withStatus(BatchStatus.CANCELLING, t0.plusSeconds(2)), BatchStatus.VALIDATING)))
                .as("a writer that saw an older status changes nothing").isFalse();
        Batch done = running.withFiles("file-out", "file-err").withStatus(BatchStatus.COMPLETED, t0.plusSeconds(3));
        assertThat(join(store().update(done, BatchStatus.IN_PROGRESS))).isTrue();
        assertThat(join(store().find(owner, batch.id()))).contains(done);
        assertThat(join(store().unfinished())).extracting(Batch::id).doesNotContain(batch.id());
    }

    @Test
    void batchesArePagedNewestFirst() {
        String owner = "owner-" + UUID.randomUUID();
        Instant t0 = Instant.parse("2026-12-03T10:00:00Z");
        Batch first = create(owner, t0);
        Batch second = create(owner, t0.plusSeconds(1));
        Batch third = create(owner, t0.plusSeconds(2));
        var page = join(store().list(owner, null, 2));
        assertThat(page.items()).containsExactly(third, second);
        assertThat(page.hasMore()).isTrue();
        assertThat(join(store().list(owner, second.id(), 2)).items()).containsExactly(first);
    }

    @Test
    void eachResultIsKeptOnceInTheInputsOrder() {
        Batch batch = create("owner-" + UUID.randomUUID(), Instant.parse("2026-12-03T10:00:00Z"));
        BatchLineResult second = new BatchLineResult(1, "b", false, "{\"custom_id\":\"b\",\"error\":{}}");
        BatchLineResult first = new BatchLineResult(0, "a", true, "{\"custom_id\":\"a\",\"response\":{}}");
        join(store().saveResults(batch.id(), List.of(second)));
        join(store().saveResults(batch.id(), List.of(first, new BatchLineResult(1, "b", true, "{\"again\":true}"))));
        assertThat(join(store().results(batch.id()))).containsExactly(first, second);
        assertThat(join(store().results("batch_other"))).isEmpty();
        join(store().dropResults(batch.id()));
        assertThat(join(store().results(batch.id()))).isEmpty();
    }

    @Test
    void aBatchIsLeasedToOneHolderUntilTheLeaseLapses() {
        Batch batch = create("owner-" + UUID.randomUUID(), Instant.parse("2026-12-03T10:00:00Z"));
        Instant now = Instant.parse("2026-12-03T10:00:05Z");
        assertThat(join(store().lease(batch.id(), "a", now, now.plusSeconds(30)))).isTrue();
        assertThat(join(store().lease(batch.id(), "b", now.plusSeconds(10), now.plusSeconds(40)))).as("held by a").isFalse();
        assertThat(join(store().lease(batch.id(), "a", now.plusSeconds(10), now.plusSeconds(40)))).as("renewed by its holder").isTrue();
        assertThat(join(store().lease(batch.id(), "b", now.plusSeconds(41), now.plusSeconds(71)))).as("lapsed: taken over").isTrue();
    }
}
