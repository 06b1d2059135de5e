package io.sluice.domain.limits;

/**
 * The generic cell rate algorithm: a limit of N per minute is a bucket of N that drains at N per minute, kept as
 * one number, the theoretical arrival time (TAT) of the next unit. A cost fits when the bucket has room for it;
 * a cost larger than the whole bucket fits only an empty bucket, so that it is not refused for ever. Times are in
 * microseconds.
 */
public final class Gcra {
    public static final long WINDOW_MICROS = 60_000_000L;

    private Gcra() {}

    /**
     * @param tat       the stored TAT, 0 when none
     * @param remaining units still free after this decision
     * @param retryAfter microseconds until this cost would fit (0 when it does)
     * @param reset     microseconds until the bucket is empty again
     */
    public record Result(boolean allowed, long tat, long remaining, long retryAfter, long reset) {}

    public static Result apply(long storedTat, long now, long cost, long perMinute) {
        double interval = (double) WINDOW_MICROS / perMinute;
        long tat = Math.max(storedTat, now);
        long newTat = tat + (long) Math.ceil(cost * interval);
        boolean empty = tat == now;
        if (newTat - now <= WINDOW_MICROS || empty) {
            return new Result(true, newTat, free(newTat - now, interval), 0, newTat - now);
        }
        return new Result(false, storedTat, free(tat - now, interval), newTat - WINDOW_MICROS - now, tat - now);
    }

    private static long free(long used, double interval) {
        return Math.max(0, (long) Math.floor((WINDOW_MICROS - used) / interval));
    }
}
