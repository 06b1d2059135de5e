package io.sluice.engine.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.domain.Usage;
import io.sluice.domain.usage.UsageEntry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A bill written after its answer: the call goes on at once, the write is tracked until it commits, and waited for at shutdown. */
class BillAfterAnswerLedgerTest {
    private static final UsageEntry BILL = new UsageEntry("req-1", 1, "acme", null, null, null, null, "gpt-4o", "east", new Usage(10, 5, 0),
            new BigDecimal("0.000075"), 10, UsageEntry.Outcome.OK, Instant.EPOCH);

    @Test
    void theCallGoesOnBeforeItsBillIsCommittedAndTheWriteIsTrackedUntilItIs() {
        SlowLedger slow = new SlowLedger();
        BillAfterAnswerLedger ledger = new BillAfterAnswerLedger(slow);

        assertThat(ledger.record(List.of(BILL)).toCompletableFuture()).isCompleted();
        assertThat(slow.commits).as("the write was sent").hasSize(1);
        assertThat(ledger.pending()).isEqualTo(1);

        slow.commits.getFirst().complete(null);
        assertThat(ledger.pending()).isZero();
    }

    @Test
    void aFailedWriteNeverFailsTheCallThatWasAlreadyAnswered() {
        SlowLedger slow = new SlowLedger();
        BillAfterAnswerLedger ledger = new BillAfterAnswerLedger(slow);
        CompletableFuture<Void> call = ledger.record(List.of(BILL)).toCompletableFuture();

        slow.commits.getFirst().completeExceptionally(new IllegalStateException("database down"));

        assertThat(call.isCompletedExceptionally()).isFalse();
        assertThat(ledger.pending()).isZero();
    }

    @Test
    void drainWaitsForTheWritesInFlightAndSaysWhenSomeDidNotFinishInTime() throws Exception {
        SlowLedger slow = new SlowLedger();
        BillAfterAnswerLedger ledger = new BillAfterAnswerLedger(slow);
        ledger.record(List.of(BILL));

        assertThat(ledger.drain(Duration.ofMillis(50))).as("the write is still in flight").isFalse();
        CompletableFuture<Boolean> draining = CompletableFuture.supplyAsync(() -> ledger.drain(Duration.ofSeconds(10)));
        slow.commits.getFirst().complete(null);
        assertThat(draining.get()).isTrue();
        assertThat(ledger.drain(Duration.ZERO)).as("nothing in flight").isTrue();
    }
}
