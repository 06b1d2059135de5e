package io.sluice.engine.sla;

import java.util.ArrayList;
import java.util.List;

/**
 * The sides of one call under a tier's {@code fallback-after}: the call's own attempts and, once started, the next
 * model's alongside. It settles once: on the first answer, when every side has failed (with the first side's failure:
 * the model the call was meant for), or when its client leaves. Holds no lock while calling out. Thread-safe.
 */
final class Sides {
    private final CallAttempts first;
    private CallAttempts second;
    private CallAttempts winner;
    private int running = 1;
    private Throwable firstFailure;
    private boolean settled;

    Sides(CallAttempts first) {
        this.first = first;
    }

    /** The next model's side, to start now; null when the call has settled or stands at its chain's last model. */
    synchronized CallAttempts startSecond() {
        if (settled) return null;
        CallAttempts next = first.nextModel();
        if (next == null) return null;
        second = next;
        running++;
        return next;
    }

    /** Settles the call on {@code side}'s answer; false when it had settled already. */
    synchronized boolean win(CallAttempts side) {
        if (settled) return false;
        settled = true;
        winner = side;
        return true;
    }

    /** The side that did not win, to call off; null when there is none. */
    synchronized CallAttempts loser() {
        return winner == first ? second : first;
    }

    /** A side failed for good: the failure to report when every side has and nothing settled the call; else null. */
    synchronized Throwable failed(CallAttempts side, Throwable error) {
        running--;
        if (side == first) firstFailure = error;
        if (running > 0 || settled) return null;
        settled = true;
        return firstFailure != null ? firstFailure : error;
    }

    /** The client left: the call settles, and every side is returned, to call off. */
    synchronized List<CallAttempts> leave() {
        settled = true;
        List<CallAttempts> all = new ArrayList<>(List.of(first));
        if (second != null) all.add(second);
        return all;
    }
}
