package io.sluice.engine.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.domain.Usage;
import io.sluice.domain.usage.UsageEntry;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Entries that arrive while a write is in flight share the next write; each call completes only when its entries are. */
class GroupCommitLedgerTest {
    private static UsageEntry entry(int n) {
        return new UsageEntry("req-" + n, 1, "acme", null, null, null, null, "gpt-4o", "east", new Usage(10, 5, 0), BigDecimal.ONE, 10,
                UsageEntry.Outcome.OK, Instant.EPOCH);
    }

    @Test
    void entriesArrivingDuringAWriteGoTogetherInTheNextAndEachCallWaitsForItsOwnCommit() {
        SlowLedger slow = new SlowLedger();
        GroupCommitLedger ledger = new GroupCommitLedger(slow, 1);
        CompletableFuture<Void> first = ledger.record(List.of(entry(1))).toCompletableFuture();
        List<CompletableFuture<Void>> later = new ArrayList<>();
        for (int i = 2; i <= 50; i++) later.add(ledger.record(List.of(entry(i))).toCompletableFuture());
        assertThat(slow.writes).as("one write in flight at a time").hasSize(1);

        slow.commits.get(0).complete(null);
        assertThat(first).isCompleted();
        assertThat(later).as("their write has not committed yet").noneMatch(CompletableFuture::isDone);
        assertThat(slow.writes).hasSize(2);
        assertThat(slow.writes.get(1)).as("the 49 that waited, in one write").hasSize(49);

        slow.commits.get(1).complete(null);
        assertThat(later).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        CompletableFuture<Void> alone = ledger.record(List.of(entry(99))).toCompletableFuture();
        assertThat(slow.writes).as("with nothing in flight, an entry is written at once").hasSize(3);
        slow.commits.get(2).complete(null);
        assertThat(alone).isCompleted();
    }

    @Test
    void byDefaultOneWriteIsInFlight() {
        SlowLedger slow = new SlowLedger();
        GroupCommitLedger ledger = new GroupCommitLedger(slow);
        for (int i = 1; i <= 5; i++) ledger.record(List.of(entry(i)));
        assertThat(slow.writes).as("the four after the first wait for its commit").hasSize(1);
        slow.commits.get(0).complete(null);
        assertThat(slow.writes).hasSize(2);
        assertThat(slow.writes.get(1)).hasSize(4);
    }

    @Test
    void aFailedWriteFailsTheCallsItCarriedAndTheNextWriteGoesOn() {
        SlowLedger slow = new SlowLedger();
        GroupCommitLedger ledger = new GroupCommitLedger(slow, 1);
        CompletableFuture<Void> failed = ledger.record(List.of(entry(1))).toCompletableFuture();
        CompletableFuture<Void> next = ledger.record(List.of(entry(2))).toCompletableFuture();
        slow.commits.get(0).completeExceptionally(new IllegalStateException("database down"));
        assertThatThrownBy(failed::join).hasRootCauseMessage("database down");
        assertThat(next).isNotDone();
        slow.commits.get(1).complete(null);
        assertThat(next).isCompleted();
        assertThat(next.isCompletedExceptionally()).isFalse();
    }

    @Test
    void withTwoWritesInFlightAnEntryArrivingDuringAWriteIsWrittenAtOnceAndTheRestShareTheNextFreeWrite() {
        SlowLedger slow = new SlowLedger();
        GroupCommitLedger ledger = new GroupCommitLedger(slow, 2);
        CompletableFuture<Void> first = ledger.record(List.of(entry(1))).toCompletableFuture();
        CompletableFuture<Void> second = ledger.record(List.of(entry(2))).toCompletableFuture();
        assertThat(slow.writes).as("the second did not wait for the first's commit").hasSize(2);
        List<CompletableFuture<Void>> later = new ArrayList<>();
        for (int i = 3; i <= 20; i++) later.add(ledger.record(List.of(entry(i))).toCompletableFuture());
        assertThat(slow.writes).as("both writes busy: the rest wait").hasSize(2);

        slow.commits.get(1).complete(null);
        assertThat(second).isCompleted();
        assertThat(first).as("its own write has not committed").isNotDone();
        assertThat(slow.writes).hasSize(3);
        assertThat(slow.writes.get(2)).as("the 18 that waited, in the write that came free").hasSize(18);

        slow.commits.get(0).complete(null);
        slow.commits.get(2).complete(null);
        assertThat(first).isCompleted();
        assertThat(later).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(slow.writes).as("nothing left to write").hasSize(3);
    }

    @Test
    void atLeastOneWriteMustBeAllowed() {
        assertThatThrownBy(() -> new GroupCommitLedger(new SlowLedger(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBatchThatFailsIsWrittenAgainCallByCallSoThatOnlyTheBadBillFails() {
        SlowLedger slow = new SlowLedger();
        GroupCommitLedger ledger = new GroupCommitLedger(slow, 1);
        CompletableFuture<Void> first = ledger.record(List.of(entry(1))).toCompletableFuture();
        List<CompletableFuture<Void>> batched = new ArrayList<>();
        for (int i = 2; i <= 5; i++) batched.add(ledger.record(List.of(entry(i))).toCompletableFuture());
        slow.commits.get(0).complete(null);
        assertThat(first).isCompleted();
        assertThat(slow.writes.get(1)).as("the four that waited, together").hasSize(4);

        slow.commits.get(1).completeExceptionally(new IllegalStateException("value too long for type character varying(256)"));
        assertThat(batched).as("nobody fails for a batch").noneMatch(CompletableFuture::isDone);
        for (int i = 2; i <= 5; i++) {
            assertThat(slow.writes.get(i)).as("each call's bill on its own, one after another").hasSize(1);
            if (i == 3) slow.commits.get(i).completeExceptionally(new IllegalStateException("the bad one"));
            else slow.commits.get(i).complete(null);
        }
        assertThat(batched.get(1)).isCompletedExceptionally();
        assertThat(List.of(batched.get(0), batched.get(2), batched.get(3))).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        CompletableFuture<Void> after = ledger.record(List.of(entry(9))).toCompletableFuture();
        assertThat(slow.writes).as("the ledger goes on").hasSize(7);
        slow.commits.get(6).complete(null);
        assertThat(after).isCompleted();
    }

    @Test
    void aBacklogOfThousandsThatFailsAtOnceIsWrittenAgainOneByOneWithoutOverflowingTheStackAndTheLedgerGoesOn() {
        SlowLedger slow = new SlowLedger();
        GroupCommitLedger ledger = new GroupCommitLedger(slow, 1);
        CompletableFuture<Void> first = ledger.record(List.of(entry(0))).toCompletableFuture();
        List<CompletableFuture<Void>> backlog = new ArrayList<>();
        for (int i = 1; i <= 20_000; i++) backlog.add(ledger.record(List.of(entry(i))).toCompletableFuture());
        slow.refuseAtOnce = true; // from now on every write fails as soon as it is made, as a store does that refuses everything
        slow.commits.get(0).complete(null);

        assertThat(first).isCompleted();
        assertThat(backlog).allMatch(CompletableFuture::isCompletedExceptionally);
        slow.refuseAtOnce = false;
        CompletableFuture<Void> after = ledger.record(List.of(entry(99_999))).toCompletableFuture();
        slow.commits.getLast().complete(null);
        assertThat(after).as("the write slot was given back").isCompleted();
    }
}
