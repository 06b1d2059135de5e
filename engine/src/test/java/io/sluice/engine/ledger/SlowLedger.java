package io.sluice.engine.ledger;

import io.sluice.domain.usage.UsageEntry;
import io.sluice.domain.usage.UsageQuery;
import io.sluice.domain.usage.UsageTotal;
import io.sluice.ports.out.UsageLedger;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A ledger whose writes complete when the test says so: {@code commits} in the order the writes came. */
final class SlowLedger implements UsageLedger {
    final List<List<UsageEntry>> writes = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Void>> commits = new CopyOnWriteArrayList<>();
    /** While set, every write fails as soon as it is made (a statement the database refuses). */
    volatile boolean refuseAtOnce;

    @Override
    public CompletionStage<Void> record(List<UsageEntry> entries) {
        if (refuseAtOnce) return CompletableFuture.failedFuture(new IllegalStateException("value too long for type character varying(128)"));
        writes.add(List.copyOf(entries));
        CompletableFuture<Void> commit = new CompletableFuture<>();
        commits.add(commit);
        return commit;
    }

    @Override
    public CompletionStage<List<UsageTotal>> totals(UsageQuery query) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletionStage<java.math.BigDecimal> spent(io.sluice.domain.usage.SpendFilter filter) {
        return CompletableFuture.completedFuture(java.math.BigDecimal.ZERO);
    }

    @Override
    public CompletionStage<java.util.Map<String, java.math.BigDecimal>> billed(java.util.Collection<String> requestIds) {
        return CompletableFuture.completedFuture(java.util.Map.of());
    }
}
