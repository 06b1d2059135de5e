package io.sluice.engine.ledger;

import io.sluice.domain.usage.UsageEntry;
import io.sluice.ports.out.UsageLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Group commit for the ledger entries that travel alone (stateless calls): up to {@code maxWritesInFlight} writes go
 * to the ledger at once, and the entries that arrive while all of them are in flight wait, then go together in the
 * next write that starts, one transaction for all of them. Each caller's stage still completes only once its own
 * entries are committed, so nothing is acknowledged before it is kept; under load, many calls share one commit
 * instead of each paying for its own. When a write of several calls' entries fails, each call's entries are written again on their own, so
 * that one unstorable bill fails only its own call. Thread-safe.
 *
 * <p>Two writes in flight by default: with one, an entry that arrives just after a write began waits for that write
 * and then its own, twice a commit's time, which was the tail (p99) of a stateless call's own time in the gateway.
 */
public final class GroupCommitLedger extends LedgerWriteDecorator {
    public static final int DEFAULT_WRITES_IN_FLIGHT = 2;

    private record Pending(List<UsageEntry> entries, CompletableFuture<Void> done) {}

    private final int maxWritesInFlight;
    private List<Pending> waiting = new ArrayList<>();
    private int writesInFlight;

    public GroupCommitLedger(UsageLedger delegate) {
        this(delegate, DEFAULT_WRITES_IN_FLIGHT);
    }

    public GroupCommitLedger(UsageLedger delegate, int maxWritesInFlight) {
        super(delegate);
        if (maxWritesInFlight < 1) throw new IllegalArgumentException("maxWritesInFlight must be 1 or more");
        this.maxWritesInFlight = maxWritesInFlight;
    }

    @Override
    public CompletionStage<Void> record(List<UsageEntry> entries) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean start;
        synchronized (this) {
            waiting.add(new Pending(entries, done));
            start = writesInFlight < maxWritesInFlight;
            if (start) writesInFlight++;
        }
        if (start) writeNext();
        return done;
    }

    /** One of the writes in flight: everything waiting in one go, then again for what arrived meanwhile, until nothing waits. */
    private void writeNext() {
        List<Pending> batch;
        synchronized (this) {
            if (waiting.isEmpty()) {
                writesInFlight--;
                return;
            }
            batch = waiting;
            waiting = new ArrayList<>();
        }
        List<UsageEntry> entries = new ArrayList<>();
        for (Pending p : batch) entries.addAll(p.entries());
        write(entries).whenComplete((ok, error) -> {
            if (error == null || batch.size() == 1) {
                // the next write starts first: completing a call runs its answer on this thread, which must not hold it up
                writeNext();
                for (Pending p : batch) complete(p, error);
            } else {
                oneByOne(batch, 0); // one caller's unstorable bill must not fail the others it was batched with
            }
        });
    }

    /** Writes each call's entries of a failed batch on their own, one after another, so that only a bad one fails. */
    private void oneByOne(List<Pending> batch, int next) {
        if (next == batch.size()) {
            writeNext();
            return;
        }
        Pending p = batch.get(next);
        write(p.entries()).whenComplete((ok, error) -> {
            complete(p, error);
            oneByOne(batch, next + 1);
        });
    }

    private CompletionStage<Void> write(List<UsageEntry> entries) {
        try {
            return delegate.record(entries);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static void complete(Pending p, Throwable error) {
        if (error == null) p.done().complete(null);
        else p.done().completeExceptionally(error);
    }
}
