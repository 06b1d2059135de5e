package io.sluice.engine.ledger;

import io.sluice.domain.usage.UsageEntry;
import io.sluice.domain.usage.UsageQuery;
import io.sluice.domain.usage.UsageTotal;
import io.sluice.ports.out.UsageLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Group commit for the ledger entries that travel alone (stateless calls): while one write is in flight, the entries
 * that arrive wait and then go together in the next, one transaction for all of them. Each caller's stage still
 * completes only once its own entries are committed, so nothing is acknowledged before it is kept; under load,
 * many calls share one commit instead of each paying for its own. A failed write fails exactly the calls it carried.
 * Thread-safe.
 */
public final class GroupCommitLedger implements UsageLedger {
    private record Pending(List<UsageEntry> entries, CompletableFuture<Void> done) {}

    private final UsageLedger delegate;
    private List<Pending> waiting = new ArrayList<>();
    private boolean writing;

    public GroupCommitLedger(UsageLedger delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletionStage<Void> record(List<UsageEntry> entries) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean first;
        synchronized (this) {
            waiting.add(new Pending(entries, done));
            first = !writing;
            writing = true;
        }
        if (first) writeNext();
        return done;
    }

    /** Writes everything waiting in one go, then again for what arrived meanwhile, until nothing waits. */
    private void writeNext() {
        List<Pending> batch;
        synchronized (this) {
            if (waiting.isEmpty()) {
                writing = false;
                return;
            }
            batch = waiting;
            waiting = new ArrayList<>();
        }
        List<UsageEntry> entries = new ArrayList<>();
        for (Pending p : batch) entries.addAll(p.entries());
        CompletionStage<Void> written;
        try {
            written = delegate.record(entries);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        written.whenComplete((ok, error) -> {
            // the next write starts first: completing a call runs its answer on this thread, which must not hold it up
            writeNext();
            for (Pending p : batch) {
                if (error == null) p.done().complete(null);
                else p.done().completeExceptionally(error);
            }
        });
    }

    @Override
    public CompletionStage<List<UsageTotal>> totals(UsageQuery query) {
        return delegate.totals(query);
    }
}
