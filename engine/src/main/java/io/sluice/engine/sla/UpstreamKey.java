package io.sluice.engine.sla;

import io.sluice.ports.out.LlmProvider;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * One API key of an endpoint, as a provider instance, with what the gateway knows of it: cooling down after a 429
 * until its Retry-After has passed, disabled after a 401 or 403, its own requests- and tokens-per-minute budgets, and
 * what the upstream's last answer for a model said is left of its limits for it ({@link LlmProvider#quota}), so that a request is
 * never sent on a key known to be over its limit. Thread-safe.
 *
 * <p>A disabled key is tried again after a while, {@link #FIRST_DISABLE} at first, twice as long after each refusal in
 * a row up to {@link #MAX_DISABLE}: a key that was revoked stays nearly out of use, one whose account was only briefly
 * suspended (a billing lapse, a rotated secret put back) comes back without a restart. An operator may enable it at once.
 */
public final class UpstreamKey {
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    private final String label;
    private final LlmProvider provider;
    private final int rpm;
    private final long tpm;
    private final ArrayDeque<Long> sent = new ArrayDeque<>();
    /** (time, tokens) of the last minute: estimates when sent, corrections when the usage is known. */
    private final ArrayDeque<long[]> tokens = new ArrayDeque<>();
    private long tokensInWindow;
    /** How long the first refusal disables a key; each further refusal in a row doubles it, up to {@link #MAX_DISABLE}. */
    public static final Duration FIRST_DISABLE = Duration.ofMinutes(1);
    public static final Duration MAX_DISABLE = Duration.ofHours(1);

    private long coolUntil;
    private long disabledUntil = Long.MIN_VALUE;
    private long nextDisable = FIRST_DISABLE.toNanos();

    /** @param rpm requests per minute allowed on this key; 0 for no limit */
    public UpstreamKey(String label, LlmProvider provider, int rpm) {
        this(label, provider, rpm, 0);
    }

    /** @param tpm tokens (prompt and completion) per minute allowed on this key; 0 for no limit */
    public UpstreamKey(String label, LlmProvider provider, int rpm, long tpm) {
        if (rpm < 0 || tpm < 0) throw new IllegalArgumentException("key '" + label + "' needs rpm and tpm of 0 or more");
        this.label = label;
        this.provider = provider;
        this.rpm = rpm;
        this.tpm = tpm;
    }

    public String label() {
        return label;
    }

    public LlmProvider provider() {
        return provider;
    }

    /** Whether this key counts tokens, so that a call must estimate its own before taking it. */
    boolean limitsTokens() {
        return tpm > 0;
    }

    /**
     * Takes one request and {@code estimatedTokens} from the key's budgets, if it may be used now. A request larger
     * than the whole token budget is let through only when nothing else was sent in the last minute.
     */
    synchronized boolean tryAcquire(long now, long estimatedTokens) {
        return tryAcquire(now, estimatedTokens, null);
    }

    /** {@link #tryAcquire(long, long)} for a request to {@code upstreamModel}, which the upstream may have said the key is spent for. */
    synchronized boolean tryAcquire(long now, long estimatedTokens, String upstreamModel) {
        if (now < disabledUntil || now < coolUntil) return false;
        if (quotaReadyAt(now, estimatedTokens, upstreamModel) != now) return false; // the upstream said the key is spent
        expire(now);
        if (rpm > 0 && sent.size() >= rpm) return false;
        if (tpm > 0 && tokensInWindow > 0 && tokensInWindow + estimatedTokens > tpm) return false;
        if (rpm > 0) sent.addLast(now);
        if (tpm > 0) addTokens(now, estimatedTokens);
        return true;
    }

    /** Undoes {@link #tryAcquire}{@code (now, estimatedTokens)} for a request that will not be sent. */
    synchronized void giveBack(long now, long estimatedTokens) {
        if (rpm > 0) sent.removeLastOccurrence(now);
        if (tpm > 0) {
            for (var it = tokens.descendingIterator(); it.hasNext(); ) {
                long[] entry = it.next();
                if (entry[0] == now && entry[1] == estimatedTokens) {
                    it.remove();
                    tokensInWindow -= estimatedTokens;
                    return;
                }
            }
        }
    }

    /** Replaces a request's estimate by the tokens its usage reported. */
    synchronized void settle(long now, long estimatedTokens, long actualTokens) {
        if (tpm > 0 && actualTokens != estimatedTokens) addTokens(now, actualTokens - estimatedTokens);
    }

    private void addTokens(long now, long count) {
        tokens.addLast(new long[] {now, count});
        tokensInWindow += count;
    }

    private void expire(long now) {
        while (!sent.isEmpty() && now - sent.peekFirst() >= MINUTE) sent.pollFirst();
        while (!tokens.isEmpty() && now - tokens.peekFirst()[0] >= MINUTE) tokensInWindow -= tokens.pollFirst()[1];
    }

    /** When the key may be used again for a request of {@code estimatedTokens}. */
    synchronized long readyAt(long now, long estimatedTokens) {
        return readyAt(now, estimatedTokens, null);
    }

    synchronized long readyAt(long now, long estimatedTokens, String upstreamModel) {
        expire(now);
        long ready = Math.max(Math.max(Math.max(now, coolUntil), disabledUntil), quotaReadyAt(now, estimatedTokens, upstreamModel));
        if (rpm > 0 && sent.size() >= rpm) ready = Math.max(ready, sent.peekFirst() + MINUTE);
        if (tpm > 0 && tokensInWindow > 0 && tokensInWindow + estimatedTokens > tpm) ready = Math.max(ready, tokensFreeAt(estimatedTokens));
        return ready;
    }

    /** When the upstream's last word on the key's limits lets a request of {@code estimatedTokens} go; {@code now} when it does. */
    private long quotaReadyAt(long now, long estimatedTokens, String upstreamModel) {
        return provider == null || upstreamModel == null ? now : provider.quota(upstreamModel).readyAt(now, estimatedTokens);
    }

    /** When enough of the window's tokens will have expired for the request to fit. */
    private long tokensFreeAt(long estimatedTokens) {
        long remaining = tokensInWindow;
        for (long[] entry : tokens) {
            remaining -= entry[1];
            if (remaining <= 0 || remaining + estimatedTokens <= tpm) return entry[0] + MINUTE;
        }
        return tokens.isEmpty() ? 0 : tokens.peekLast()[0] + MINUTE;
    }

    synchronized void coolFor(Duration pause, long now) {
        coolUntil = Math.max(coolUntil, now + pause.toNanos());
    }

    /** The upstream refused the key (401, or a 403 that names no model): out of use for a while, longer each time. */
    synchronized void disable(long now) {
        disabledUntil = now + nextDisable;
        nextDisable = Math.min(nextDisable * 2, MAX_DISABLE.toNanos());
    }

    /** The upstream took the key: a later refusal starts the backoff afresh. */
    synchronized void accepted() {
        nextDisable = FIRST_DISABLE.toNanos();
    }

    /** An operator says the key is good again (a secret was rotated, a bill was paid): usable at once. */
    public synchronized void enable() {
        disabledUntil = Long.MIN_VALUE;
        nextDisable = FIRST_DISABLE.toNanos();
    }

    public synchronized boolean disabled(long now) {
        return now < disabledUntil;
    }

    /** How long until a disabled key is tried again; zero when it is not disabled. */
    public synchronized Duration disabledFor(long now) {
        return now < disabledUntil ? Duration.ofNanos(disabledUntil - now) : Duration.ZERO;
    }

    public synchronized boolean cooling(long now) {
        return now < coolUntil;
    }
}
