package io.sluice.engine.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Group commit: up to {@code maxWritesInFlight} writes go to the store at once, and the items that arrive while all of
 * them are in flight wait, then go together in the next write that starts, one transaction for all of them. Each
 * caller's stage completes only once its own item is committed, so nothing is acknowledged before it is kept; under
 * load, many items share one commit instead of each paying for its own. When a write of several items fails in a way
 * that left nothing written ({@code alone}), each is written again on its own, so that one unstorable item fails only
 * its own caller; otherwise (the commit's outcome is unknown) every caller of the write is failed. Thread-safe.
 *
 * @param <T> an item to write
 * @param <R> what writing it gives back
 */
public final class GroupCommit<T, R> {
    /** Told the size of each write and how long it took to commit, in nanoseconds. */
    @FunctionalInterface
    public interface Observer {
        void committed(int items, long nanos);
    }

    private record Pending<T, R>(T item, CompletableFuture<R> done) {}

    private final Function<List<T>, CompletionStage<List<R>>> write;
    private final Predicate<Throwable> alone;
    private final int maxWritesInFlight;
    private final Observer observer;
    private List<Pending<T, R>> waiting = new ArrayList<>();
    private int writesInFlight;

    /**
     * @param write writes items in one transaction, giving back a result for each, in order
     * @param alone whether a failed write's items may each be written again on their own (nothing of it was written)
     */
    public GroupCommit(Function<List<T>, CompletionStage<List<R>>> write, Predicate<Throwable> alone, int maxWritesInFlight, Observer observer) {
        if (maxWritesInFlight < 1) throw new IllegalArgumentException("maxWritesInFlight must be 1 or more");
        this.write = write;
        this.alone = alone;
        this.maxWritesInFlight = maxWritesInFlight;
        this.observer = observer;
    }

    public CompletionStage<R> submit(T item) {
        CompletableFuture<R> done = new CompletableFuture<>();
        boolean start;
        synchronized (this) {
            waiting.add(new Pending<>(item, done));
            start = writesInFlight < maxWritesInFlight;
            if (start) writesInFlight++;
        }
        if (start) writeNext();
        return done;
    }

    /** One of the writes in flight: everything waiting in one go, then again for what arrived meanwhile, until nothing waits. */
    private void writeNext() {
        List<Pending<T, R>> batch;
        synchronized (this) {
            if (waiting.isEmpty()) {
                writesInFlight--;
                return;
            }
            batch = waiting;
            waiting = new ArrayList<>();
        }
        List<T> items = new ArrayList<>(batch.size());
        for (Pending<T, R> p : batch) items.add(p.item());
        write(items).whenComplete((results, error) -> {
            if (error == null || batch.size() == 1 || !alone.test(error)) {
                // the next write starts first: completing a caller runs its answer on this thread, which must not hold it up
                writeNext();
                for (int i = 0; i < batch.size(); i++) complete(batch.get(i), error == null ? results.get(i) : null, error);
            } else {
                oneByOne(batch, 0);
            }
        });
    }

    /**
     * Writes each item of a failed write on its own, one after another, so that only a bad one fails. Writes that end
     * at once (a store that refuses everything while it is down) are taken in a loop, not by recursion, so that a
     * backlog of thousands cannot overflow the stack.
     */
    private void oneByOne(List<Pending<T, R>> batch, int next) {
        for (int i = next; i < batch.size(); i++) {
            Pending<T, R> p = batch.get(i);
            CompletableFuture<List<R>> written = write(List.of(p.item())).toCompletableFuture();
            if (!written.isDone()) {
                int after = i + 1;
                written.whenComplete((results, error) -> {
                    complete(p, error == null ? results.getFirst() : null, error);
                    oneByOne(batch, after);
                });
                return;
            }
            written.whenComplete((results, error) -> complete(p, error == null ? results.getFirst() : null, error)); // runs now
        }
        writeNext();
    }

    private CompletionStage<List<R>> write(List<T> items) {
        long started = System.nanoTime();
        CompletionStage<List<R>> written;
        try {
            written = write.apply(items);
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        return written.whenComplete((ok, error) -> {
            if (error == null) observer.committed(items.size(), System.nanoTime() - started);
        });
    }

    private static <R> void complete(Pending<?, R> p, R result, Throwable error) {
        if (error == null) p.done().complete(result);
        else p.done().completeExceptionally(error);
    }
}
