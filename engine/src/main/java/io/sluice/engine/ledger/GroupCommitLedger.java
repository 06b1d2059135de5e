package io.sluice.engine.ledger;

import io.sluice.domain.usage.UsageEntry;
import io.sluice.ports.out.UsageLedger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Group commit ({@link GroupCommit}) for the ledger entries that travel alone (stateless calls): the entries of the
 * calls that arrive while the writes in flight are busy go together in the next write, one transaction for all of them.
 * A write of several calls' entries that fails is made again call by call (an entry written twice is kept once), so
 * that one unstorable bill fails only its own call. Thread-safe.
 *
 * <p>One write in flight by default. An entry that arrives just after a write began then waits for that write and its
 * own; two were kept for that wait until alternated runs showed it did not move the tail at 300 calls/s, while one write
 * made groups twice as large at full load, cost PostgreSQL less a bill and served more calls (docs/performance.md, step 9).
 */
public final class GroupCommitLedger extends LedgerWriteDecorator {
    public static final int DEFAULT_WRITES_IN_FLIGHT = 1;

    private final GroupCommit<List<UsageEntry>, Void> commits;

    public GroupCommitLedger(UsageLedger delegate) {
        this(delegate, DEFAULT_WRITES_IN_FLIGHT, (items, nanos) -> { });
    }

    public GroupCommitLedger(UsageLedger delegate, int maxWritesInFlight) {
        this(delegate, maxWritesInFlight, (items, nanos) -> { });
    }

    /** @param observer told each write's number of calls and its commit time */
    public GroupCommitLedger(UsageLedger delegate, int maxWritesInFlight, GroupCommit.Observer observer) {
        super(delegate);
        // an unreachable database fails every bill at once: writing each again alone would only fail it again
        this.commits = new GroupCommit<>(this::write, error -> !(io.sluice.domain.error.Failures.cause(error)
                instanceof io.sluice.domain.error.StorageUnavailableException), maxWritesInFlight, observer);
    }

    @Override
    public CompletionStage<Void> record(List<UsageEntry> entries) {
        return commits.submit(entries);
    }

    private CompletionStage<List<Void>> write(List<List<UsageEntry>> calls) {
        List<UsageEntry> entries = new ArrayList<>();
        for (List<UsageEntry> call : calls) entries.addAll(call);
        return delegate.record(entries).thenApply(done -> Collections.nCopies(calls.size(), null));
    }
}
