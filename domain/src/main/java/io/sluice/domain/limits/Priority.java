package io.sluice.domain.limits;

import io.sluice.domain.error.InvalidRequestException;
import java.time.Duration;
import java.util.Locale;

/**
 * A call's lane wherever calls wait (an upstream key's rate budget, a key cooling after a 429, an endpoint's
 * concurrency queue) and when the gateway sheds load: higher lanes are served first and shed last. A call that has
 * waited long rises: every {@link #AGING} of waiting counts as one lane up, so that a {@code low} call is never
 * starved by a stream of {@code high} ones, while calls queued together still go in lane order.
 */
public enum Priority {
    HIGH(2), NORMAL(1), LOW(0);

    /** How long a wait is worth one lane. */
    public static final Duration AGING = Duration.ofSeconds(10);

    private final int rank;

    Priority(int rank) {
        this.rank = rank;
    }

    public int rank() {
        return rank;
    }

    /** The configured and header name: {@code high}, {@code normal}, {@code low}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Where a call of this lane that has waited since {@code queuedAt} stands against others ({@link System#nanoTime()}
     * times); the higher, the sooner it is served.
     */
    public double standing(long queuedAt, long now) {
        return rank + (double) Math.max(0, now - queuedAt) / AGING.toNanos();
    }

    /** {@code high}, {@code normal} or {@code low}, as a header or a key's policy gives it; anything else is the caller's error. */
    public static Priority parse(String text, String param) {
        if (text != null) {
            for (Priority p : values()) if (p.label().equals(text.strip().toLowerCase(Locale.ROOT))) return p;
        }
        String shown = text == null ? "" : text.length() > 20 ? text.substring(0, 20) : text;
        throw new InvalidRequestException("'" + shown + "' is not a priority; use high, normal or low", param, "invalid_priority");
    }
}
