package io.sluice.engine.ledger;

import io.sluice.domain.usage.UsageEntry;
import io.sluice.ports.out.UsageLedger;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The opt-in trade of a bill's durability for latency ({@code sluice.storage.commit-bill-before-answer: false}): a
 * stateless call's bill is written while its answer goes out, instead of before. Budgets and rate limits are settled
 * from the bill either way, on counters of their own, so caps hold; what a crash can lose is the ledger rows of the
 * calls answered in its last milliseconds. A write that fails is logged with what it carried (request ids, owners, models, costs: never
 * a key) so that the spend can be put back. Stored turns never come here: their bill goes in their own transaction.
 * {@link #drain(Duration)} waits for the writes still in flight, on shutdown. Thread-safe.
 */
public final class BillAfterAnswerLedger extends LedgerWriteDecorator {
    private static final System.Logger LOG = System.getLogger(BillAfterAnswerLedger.class.getName());

    private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();

    public BillAfterAnswerLedger(UsageLedger delegate) {
        super(delegate);
    }

    @Override
    public CompletionStage<Void> record(List<UsageEntry> entries) {
        CompletableFuture<Void> write;
        try {
            write = delegate.record(entries).toCompletableFuture();
        } catch (RuntimeException e) {
            write = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> tracked = write;
        inFlight.add(tracked);
        tracked.whenComplete((ok, error) -> {
            inFlight.remove(tracked);
            if (error != null) lost(entries, error);
        });
        return CompletableFuture.completedFuture(null);
    }

    /** Bills written but not yet committed. */
    public int pending() {
        return inFlight.size();
    }

    /** Waits up to {@code timeout} for the bills still being written; false if some were not done by then. */
    public boolean drain(Duration timeout) {
        CompletableFuture<?>[] writes = inFlight.toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(writes).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.ERROR, inFlight.size() + " bills were still being written at shutdown and may be lost");
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true; // every write is done; each one that failed was logged with its entries
        }
    }

    private static void lost(List<UsageEntry> entries, Throwable error) {
        for (UsageEntry e : entries) {
            LOG.log(System.Logger.Level.ERROR, "bill not written after its answer (" + error.getClass().getSimpleName() + "): request "
                    + e.requestId() + ", owner " + e.owner() + ", model " + e.model() + ", cost " + e.cost().toPlainString() + " USD");
        }
    }
}
