package io.sluice.engine.sla;

import io.sluice.domain.limits.Priority;
import io.sluice.engine.internal.TimeoutScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The calls waiting for an upstream key (every key over its rate budget, cooling after a 429, or spent by the
 * upstream's word): when keys may be free again, the waiting calls try again in the order of their lanes
 * ({@link Priority#standing}), so that a freed key goes to the highest lane first, and a call
 * that has waited long rises. A new call that finds a call standing higher waiting on one of its endpoints waits
 * behind it rather than taking the key first. Thread-safe.
 */
final class KeyWaits {
    /** The shortest wait before looking again for a free key. */
    static final Duration MIN_POLL = Duration.ofMillis(20);

    private record Waiter(CallAttempts call, Runnable retry, long readyAt) {}

    private final List<Waiter> waiting = new ArrayList<>();
    /** The waiters of the round under way not yet retried: they still hold lower lanes back. */
    private final List<Waiter> retrying = new ArrayList<>();
    /** How many calls wait, readable without the lock: every attempt asks, and almost always none does. */
    private volatile int count;
    private long nextRound = Long.MAX_VALUE;

    /**
     * Whether {@code call} should wait behind a call of a higher lane waiting on one of its endpoints. A call not yet
     * waiting stays behind any call of a higher lane (a call of its own lane does not hold it back: with a free key, it
     * would not be waiting). A call already waiting stays behind one standing a whole lane above it, aging counted:
     * a key freed while a round retries its waiters one by one must not go to a low one retried after the high ones
     * parked again, and a low one that waited long is not held back by a high one just come.
     */
    boolean behindOthers(CallAttempts call, long now) {
        if (count == 0) return false;
        boolean waits = call.queuedAt >= 0;
        if (!waits && call.priority == Priority.HIGH) return false;
        double mine = waits ? call.priority.standing(call.queuedAt, now) : call.priority.rank();
        synchronized (this) {
            return holdsBack(waiting, call, waits, mine, now) || holdsBack(retrying, call, waits, mine, now);
        }
    }

    private static boolean holdsBack(List<Waiter> others, CallAttempts call, boolean waits, double mine, long now) {
        for (Waiter w : others) {
            if (w.call == call || w.call.isAbandoned()) continue;
            boolean higher = waits ? w.call.priority.standing(w.call.queuedAt, now) >= mine + 1 : w.call.priority.rank() > call.priority.rank();
            if (higher && w.call.sharesEndpointWith(call)) return true;
        }
        return false;
    }

    /** Holds the lock. */
    private void recount() {
        count = waiting.size() + retrying.size();
    }

    /** Parks {@code call} until {@code readyAt} ({@link System#nanoTime()}), when it runs {@code retry} in its turn. */
    void park(CallAttempts call, Runnable retry, long readyAt, long now) {
        long round;
        synchronized (this) {
            if (call.queuedAt < 0) call.queuedAt = now;
            long at = Math.max(readyAt, now + MIN_POLL.toNanos());
            waiting.add(new Waiter(call, retry, at));
            recount();
            if (at >= nextRound) return;
            nextRound = at;
            round = at;
        }
        TimeoutScheduler.later(Duration.ofNanos(round - now), this::round);
    }

    /** Lets every call whose wait is over try again, highest standing first; schedules the next round for the rest. */
    private void round() {
        long now = System.nanoTime();
        List<Waiter> due = new ArrayList<>();
        long next = Long.MAX_VALUE;
        synchronized (this) {
            nextRound = Long.MAX_VALUE;
            for (var it = waiting.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.readyAt - now <= 0) {
                    due.add(w);
                    it.remove();
                } else {
                    next = Math.min(next, w.readyAt);
                }
            }
            if (next != Long.MAX_VALUE) nextRound = next;
            retrying.addAll(due);
            recount();
        }
        if (next != Long.MAX_VALUE) TimeoutScheduler.later(Duration.ofNanos(Math.max(0, next - now)), this::round);
        due.sort(Comparator.comparingDouble((Waiter w) -> -w.call.priority.standing(w.call.queuedAt, now))
                .thenComparingLong(w -> w.call.queuedAt));
        for (Waiter w : due) {
            try {
                w.retry.run(); // one that still finds no key parks again, keeping its place in time
            } catch (RuntimeException e) { // never the others' turn: each retry ends its own call on a failure
                LOG.log(System.Logger.Level.ERROR, "a call waiting for an upstream key failed to try again: " + e.getClass().getSimpleName());
            } finally {
                synchronized (this) {
                    retrying.remove(w);
                    recount();
                }
            }
        }
    }

    private static final System.Logger LOG = System.getLogger(KeyWaits.class.getName());
}
